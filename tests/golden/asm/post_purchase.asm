; journey "Post-purchase follow-up"
; hashes: structure 624865c71223679e content 503ca3dc035d9cfa
; registers 12, 125 instructions, 34 constants, 85 strings
; start node thank_you
.predicate 0 @118 <predicate 0> on "Order Status Updated"
.send 0 node review_request email fields [subject, from, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.send 1 node review_sms sms fields [text, sender_id] statuses [sent, delivered, error, suppressed, clicked]
.send 2 node referral push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.send 3 node lead_score webhook fields [url, method, headers, body] statuses [sent, error, suppressed]
.send 4 node thank_you whatsapp fields [template, media, vars] statuses [sent, delivered, error, suppressed, read, replied, clicked]
.node 0 review_request send [delivered -> referral, bounced -> review_sms, error -> review_sms]
.node 1 review_sms send [next -> referral]
.node 2 referral send [next -> lead_score]
.node 3 lead_score send [next -> end]
.node 4 thank_you send [next -> step1]
.node 5 step1 wait [next -> review_request]
end:
      0  End
exit:
      1  Exit
node review_request:
      2  Enter          node review_request    ; line 49:3
      3  LoadK          r1, K0="How are you liking your "
      4  EntryProp      r2, "product_name"
      5  LoadK          r3, K1=40
      6  Filter         r2, |truncate/2, r2
      7  LoadK          r3, K2="?"
      8  Concat         r1, r1, 3
      9  LoadK          r2, K3="Nestly <orders@nestly.in>"
     10  LoadK          r3, K4="\n      <p>Hi "
     11  Profile        r4, "first_name"
     12  LoadK          r5, K5="there"
     13  Filter         r4, |default/2, r4
     14  Filter         r4, |title/1, r4
     15  LoadK          r5, K6=",</p>\n      <p>Your order "
     16  EntryProp      r6, "order_id"
     17  LoadK          r7, K7=" arrived three days ago. Could you spare\n         30 seconds to rate it? Your review helps thousands of shoppers decide.</p>\n      <p><a href=\""
     18  EntryProp      r8, "review_url"
     19  LoadK          r9, K8="\">Rate "
     20  EntryProp      r10, "product_name"
     21  LoadK          r11, K9="</a></p>\n    "
     22  Concat         r3, r3, 9
     23  Send           r0, send 0, r1
     24  LoadK          r1, K10="suppressed"
     25  Eq             r2, r0, r1
     26  JumpIfFalse    r2, @28
     27  Take           2, @46 <node review_sms>
     28  LoadK          r1, K11="error"
     29  Eq             r2, r0, r1
     30  JumpIfFalse    r2, @32
     31  Take           2, @46 <node review_sms>
     32  AwaitStatus    r0, 0xe, 0
     33  LoadK          r1, K12="delivered"
     34  Eq             r2, r0, r1
     35  JumpIfFalse    r2, @37
     36  Take           0, @63 <node referral>
     37  LoadK          r1, K13="bounced"
     38  Eq             r2, r0, r1
     39  JumpIfFalse    r2, @41
     40  Take           1, @46 <node review_sms>
     41  LoadK          r1, K11="error"
     42  Eq             r2, r0, r1
     43  JumpIfFalse    r2, @45
     44  Take           2, @46 <node review_sms>
     45  Jump           @32
node review_sms:
     46  Enter          node review_sms    ; line 60:3
     47  LoadK          r1, K14="Hi "
     48  Profile        r2, "first_name"
     49  LoadK          r3, K5="there"
     50  Filter         r2, |default/2, r2
     51  Filter         r2, |title/1, r2
     52  LoadK          r3, K15=", how is your "
     53  EntryProp      r4, "product_name"
     54  LoadK          r5, K16=25
     55  Filter         r4, |truncate/2, r4
     56  LoadK          r5, K17="? Rate it in 30 seconds: "
     57  EntryProp      r6, "review_url"
     58  LoadK          r7, K18=" - Nestly"
     59  Concat         r1, r1, 7
     60  LoadK          r2, K19="NESTLY"
     61  Send           r0, send 1, r1
     62  Take           0, @63 <node referral>
node referral:
     63  Enter          node referral    ; line 65:3
     64  LoadK          r1, K20="Give Rs 200, get Rs 200"
     65  LoadK          r2, K21="Share your code "
     66  Profile        r3, "referral_code"
     67  Filter         r3, |upper/1, r3
     68  LoadK          r4, K22=" with friends. They save Rs 200 on their first order and you get Rs 200 credit."
     69  Concat         r2, r2, 3
     70  LoadK          r3, K23="nestly://referrals"
     71  Send           r0, send 2, r1
     72  Take           0, @73 <node lead_score>
node lead_score:
     73  Enter          node lead_score    ; line 71:3
     74  LoadK          r1, K24="https://crm.nestly.in/api/v2/contacts/"
     75  Profile        r2, "user_id"
     76  Filter         r2, |url_encode/1, r2
     77  LoadK          r3, K25="/score"
     78  Concat         r1, r1, 3
     79  LoadK          r2, K26="POST"
     80  MapNew         r3
     81  LoadK          r4, K27="application/json"
     82  MapSet         r3, r4, "Content-Type"
     83  LoadK          r4, K28="{\"event\": \"order_delivered\", \"order_id\": "
     84  EntryProp      r5, "order_id"
     85  Filter         r5, |json/1, r5
     86  LoadK          r6, K29=", \"order_value\": "
     87  EntryProp      r7, "amount"
     88  Filter         r7, |json/1, r7
     89  LoadK          r8, K30=", \"score_delta\": 15}"
     90  Concat         r4, r4, 5
     91  Send           r0, send 3, r1
     92  Take           0, @0 <end>
node thank_you:
     93  Enter          node thank_you    ; line 35:5
     94  LoadK          r1, K31="order_delivered_thank_you"
     95  EntryProp      r2, "invoice_url"
     96  Concat         r2, r2, 1
     97  MapNew         r3
     98  Profile        r4, "first_name"
     99  LoadK          r5, K5="there"
    100  Filter         r4, |default/2, r4
    101  Filter         r4, |title/1, r4
    102  Concat         r4, r4, 1
    103  MapSet         r3, r4, "first_name"
    104  EntryProp      r4, "order_id"
    105  Concat         r4, r4, 1
    106  MapSet         r3, r4, "order_id"
    107  EntryProp      r4, "amount"
    108  LoadK          r5, K32="INR"
    109  Filter         r4, |currency/2, r4
    110  Concat         r4, r4, 1
    111  MapSet         r3, r4, "amount"
    112  Send           r0, send 4, r1
    113  Take           0, @114 <node step1>
node step1:
    114  Enter          node step1    ; line 44:5
    115  LoadK          r0, K33=259200s
    116  WaitFor        r0
    117  Take           0, @2 <node review_request>
predicate 0:
    118  IsEvent        r0, "Order Status Updated"    ; line 29:9
    119  JumpIfFalse    r0, @124
    120  EventProp      r1, "status"
    121  LoadK          r2, K12="delivered"
    122  Eq             r1, r1, r2
    123  Move           r0, r1
    124  Return         r0
