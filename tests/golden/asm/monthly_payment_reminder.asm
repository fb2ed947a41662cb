; journey "Monthly EMI reminder"
; hashes: structure 29786e794952b1ba content bb79189bb9603476
; registers 14, 121 instructions, 31 constants, 87 strings
; start node manual_payer
.predicate 0 @117 <predicate 0>
.predicate 1 @119 <predicate 1> on "EMI Paid"
.aggregate 0 "EMI Paid" exists >= 1 in last 3888000s
.send 0 node heads_up_sms sms fields [text, sender_id] statuses [sent, delivered, error, suppressed, clicked]
.send 1 node pay_link_email email fields [subject, from, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.send 2 node due_today whatsapp at minute 540 fields [template, vars] statuses [sent, delivered, error, suppressed, read, replied, clicked]
.send 3 node collections webhook fields [url, method, headers, body] statuses [sent, error, suppressed]
.node 0 manual_payer segment [no -> exit, yes -> heads_up_sms]
.node 1 heads_up_sms send [next -> step1]
.node 2 step1 wait-until-property [next -> pay_link_email]
.node 3 pay_link_email send [next -> step2]
.node 4 step2 wait-until-property [next -> due_today]
.node 5 due_today send [next -> step3]
.node 6 step3 wait [next -> collections]
.node 7 collections send [next -> end]
end:
      0  End
exit:
      1  Exit
node manual_payer:
      2  Enter          node manual_payer    ; line 41:5
      3  Profile        r1, "autopay_enabled"
      4  LoadK          r2, K0=false
      5  Eq             r1, r1, r2
      6  JumpIfFalse    r1, @8
      7  Take           1, @9 <node heads_up_sms>
      8  Take           0, @1 <exit>
node heads_up_sms:
      9  Enter          node heads_up_sms    ; line 43:5
     10  LoadK          r1, K1="Hi "
     11  Profile        r2, "first_name"
     12  LoadK          r3, K2="there"
     13  Filter         r2, |default/2, r2
     14  Filter         r2, |title/1, r2
     15  LoadK          r3, K3=", your EMI of "
     16  Profile        r4, "emi_amount"
     17  LoadK          r5, K4="INR"
     18  Filter         r4, |currency/2, r4
     19  LoadK          r5, K5=" for loan "
     20  Profile        r6, "loan_account"
     21  LoadK          r7, K6=" is due on "
     22  Profile        r8, "emi_due_date"
     23  Call           r8, to_time/1, r8
     24  LoadK          r9, K7="%d %b"
     25  Filter         r8, |date/2, r8
     26  LoadK          r9, K8=". Pay early in the app: https://fin.ly/pay"
     27  Concat         r1, r1, 9
     28  LoadK          r2, K9="FINLY"
     29  Send           r0, send 0, r1
     30  Take           0, @31 <node step1>
node step1:
     31  Enter          node step1    ; line 48:5
     32  Profile        r0, "emi_due_date"
     33  Call           r0, to_time/1, r0
     34  LoadK          r1, K10=-172800s
     35  Add            r0, r0, r1
     36  WaitUntil      r0
     37  Take           0, @38 <node pay_link_email>
node pay_link_email:
     38  Enter          node pay_link_email    ; line 50:5
     39  LoadK          r1, K11="Your EMI of "
     40  Profile        r2, "emi_amount"
     41  LoadK          r3, K4="INR"
     42  Filter         r2, |currency/2, r2
     43  LoadK          r3, K12=" is due in 2 days"
     44  Concat         r1, r1, 3
     45  LoadK          r2, K13="Finly Payments <payments@finly.in>"
     46  LoadK          r3, K14="\n        <p>Dear "
     47  Profile        r4, "first_name"
     48  LoadK          r5, K15="customer"
     49  Filter         r4, |default/2, r4
     50  Filter         r4, |title/1, r4
     51  LoadK          r5, K16=",</p>\n        <p>Your EMI of <strong>"
     52  Profile        r6, "emi_amount"
     53  LoadK          r7, K4="INR"
     54  Filter         r6, |currency/2, r6
     55  LoadK          r7, K17="</strong> for loan\n           account "
     56  Profile        r8, "loan_account"
     57  LoadK          r9, K6=" is due on "
     58  Profile        r10, "emi_due_date"
     59  Call           r10, to_time/1, r10
     60  LoadK          r11, K18="%d %B %Y"
     61  Filter         r10, |date/2, r10
     62  LoadK          r11, K19=".</p>\n        <p><a href=\"https://fin.ly/pay?acct="
     63  Profile        r12, "loan_account"
     64  Filter         r12, |url_encode/1, r12
     65  LoadK          r13, K20="\">Pay now</a>\n           or switch on Autopay and never miss a date again.</p>\n      "
     66  Filter         r4, |escape_html/1, r4
     67  Filter         r6, |escape_html/1, r6
     68  Filter         r8, |escape_html/1, r8
     69  Filter         r10, |escape_html/1, r10
     70  Filter         r12, |escape_html/1, r12
     71  Concat         r3, r3, 11
     72  Send           r0, send 1, r1
     73  Take           0, @74 <node step2>
node step2:
     74  Enter          node step2    ; line 62:5
     75  Profile        r0, "emi_due_date"
     76  Call           r0, to_time/1, r0
     77  WaitUntil      r0
     78  Take           0, @79 <node due_today>
node due_today:
     79  Enter          node due_today    ; line 64:5
     80  LoadK          r1, K21="emi_due_today"
     81  MapNew         r2
     82  Profile        r3, "emi_amount"
     83  LoadK          r4, K4="INR"
     84  Filter         r3, |currency/2, r3
     85  Concat         r3, r3, 1
     86  MapSet         r2, r3, "amount"
     87  LoadK          r3, K22="https://fin.ly/pay?acct="
     88  Profile        r4, "loan_account"
     89  Filter         r4, |url_encode/1, r4
     90  Concat         r3, r3, 2
     91  MapSet         r2, r3, "pay_link"
     92  Send           r0, send 2, r1
     93  Take           0, @94 <node step3>
node step3:
     94  Enter          node step3    ; line 72:5
     95  LoadK          r0, K23=86400s
     96  WaitFor        r0
     97  Take           0, @98 <node collections>
node collections:
     98  Enter          node collections    ; line 75:5
     99  LoadK          r1, K24="https://collections.finly.in/api/missed-emi"
    100  LoadK          r2, K25="POST"
    101  MapNew         r3
    102  LoadK          r4, K26="application/json"
    103  MapSet         r3, r4, "Content-Type"
    104  LoadK          r4, K27="{\"user_id\": "
    105  Profile        r5, "user_id"
    106  Filter         r5, |json/1, r5
    107  LoadK          r6, K28=", \"loan_account\": "
    108  Profile        r7, "loan_account"
    109  Filter         r7, |json/1, r7
    110  LoadK          r8, K29=", \"amount\": "
    111  Profile        r9, "emi_amount"
    112  Filter         r9, |json/1, r9
    113  LoadK          r10, K30=" }"
    114  Concat         r4, r4, 7
    115  Send           r0, send 3, r1
    116  Take           0, @0 <end>
predicate 0:
    117  History        r0, agg 0    ; line 31:9
    118  Return         r0
predicate 1:
    119  IsEvent        r0, "EMI Paid"    ; line 34:14
    120  Return         r0
