; journey "Monthly EMI reminder"
; hashes: structure 29786e794952b1ba content bb79189bb9603476
; registers 14, 120 instructions, 31 constants, 87 strings
; start node manual_payer
.predicate 0 @116 <predicate 0>
.predicate 1 @118 <predicate 1> on "EMI Paid"
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
     23  LoadK          r9, K7="%d %b"
     24  Filter         r8, |date/2, r8
     25  LoadK          r9, K8=". Pay early in the app: https://fin.ly/pay"
     26  Concat         r1, r1, 9
     27  LoadK          r2, K9="FINLY"
     28  Send           r0, send 0, r1
     29  Take           0, @30 <node step1>
node step1:
     30  Enter          node step1    ; line 48:5
     31  Profile        r0, "emi_due_date"
     32  LoadK          r1, K10=-172800s
     33  Add            r0, r0, r1
     34  WaitUntil      r0
     35  Take           0, @36 <node pay_link_email>
node pay_link_email:
     36  Enter          node pay_link_email    ; line 50:5
     37  LoadK          r1, K11="Your EMI of "
     38  Profile        r2, "emi_amount"
     39  LoadK          r3, K4="INR"
     40  Filter         r2, |currency/2, r2
     41  LoadK          r3, K12=" is due in 2 days"
     42  Concat         r1, r1, 3
     43  LoadK          r2, K13="Finly Payments <payments@finly.in>"
     44  LoadK          r3, K14="\n        <p>Dear "
     45  Profile        r4, "first_name"
     46  LoadK          r5, K15="customer"
     47  Filter         r4, |default/2, r4
     48  Filter         r4, |title/1, r4
     49  LoadK          r5, K16=",</p>\n        <p>Your EMI of <strong>"
     50  Profile        r6, "emi_amount"
     51  LoadK          r7, K4="INR"
     52  Filter         r6, |currency/2, r6
     53  LoadK          r7, K17="</strong> for loan\n           account "
     54  Profile        r8, "loan_account"
     55  LoadK          r9, K6=" is due on "
     56  Profile        r10, "emi_due_date"
     57  LoadK          r11, K18="%d %B %Y"
     58  Filter         r10, |date/2, r10
     59  LoadK          r11, K19=".</p>\n        <p><a href=\"https://fin.ly/pay?acct="
     60  Profile        r12, "loan_account"
     61  Filter         r12, |url_encode/1, r12
     62  LoadK          r13, K20="\">Pay now</a>\n           or switch on Autopay and never miss a date again.</p>\n      "
     63  Filter         r4, |escape_html/1, r4
     64  Filter         r6, |escape_html/1, r6
     65  Filter         r8, |escape_html/1, r8
     66  Filter         r10, |escape_html/1, r10
     67  Filter         r12, |escape_html/1, r12
     68  Concat         r3, r3, 11
     69  Send           r0, send 1, r1
     70  Take           0, @71 <node step2>
node step2:
     71  Enter          node step2    ; line 62:5
     72  Profile        r0, "emi_due_date"
     73  WaitUntil      r0
     74  Take           0, @75 <node due_today>
node due_today:
     75  Enter          node due_today    ; line 64:5
     76  LoadK          r1, K21="emi_due_today"
     77  MapNew         r2
     78  Profile        r3, "emi_amount"
     79  LoadK          r4, K4="INR"
     80  Filter         r3, |currency/2, r3
     81  Concat         r3, r3, 1
     82  MapSet         r2, r3, "amount"
     83  LoadK          r3, K22="https://fin.ly/pay?acct="
     84  Profile        r4, "loan_account"
     85  Filter         r4, |url_encode/1, r4
     86  Concat         r3, r3, 2
     87  MapSet         r2, r3, "pay_link"
     88  Send           r0, send 2, r1
     89  Take           0, @90 <node step3>
node step3:
     90  Enter          node step3    ; line 72:5
     91  LoadK          r0, K23=86400s
     92  WaitFor        r0
     93  Take           0, @94 <node collections>
node collections:
     94  Enter          node collections    ; line 75:5
     95  LoadK          r1, K24="https://collections.finly.in/api/missed-emi"
     96  LoadK          r2, K25="POST"
     97  MapNew         r3
     98  LoadK          r4, K26="application/json"
     99  MapSet         r3, r4, "Content-Type"
    100  LoadK          r4, K27="{\"user_id\": "
    101  Profile        r5, "user_id"
    102  Filter         r5, |json/1, r5
    103  LoadK          r6, K28=", \"loan_account\": "
    104  Profile        r7, "loan_account"
    105  Filter         r7, |json/1, r7
    106  LoadK          r8, K29=", \"amount\": "
    107  Profile        r9, "emi_amount"
    108  Filter         r9, |json/1, r9
    109  LoadK          r10, K30=" }"
    110  Filter         r5, |escape_json/1, r5
    111  Filter         r7, |escape_json/1, r7
    112  Filter         r9, |escape_json/1, r9
    113  Concat         r4, r4, 7
    114  Send           r0, send 3, r1
    115  Take           0, @0 <end>
predicate 0:
    116  History        r0, agg 0    ; line 31:9
    117  Return         r0
predicate 1:
    118  IsEvent        r0, "EMI Paid"    ; line 34:14
    119  Return         r0
