; journey "Post-purchase follow-up"
; hashes: structure 624865c71223679e content 503ca3dc035d9cfa
; registers 12, 131 instructions, 34 constants, 87 strings
; start node thank_you
.predicate 0 @124 <predicate 0> on "Order Status Updated"
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
     22  Filter         r4, |escape_html/1, r4
     23  Filter         r6, |escape_html/1, r6
     24  Filter         r8, |escape_html/1, r8
     25  Filter         r10, |escape_html/1, r10
     26  Concat         r3, r3, 9
     27  Send           r0, send 0, r1
     28  LoadK          r1, K10="suppressed"
     29  Eq             r2, r0, r1
     30  JumpIfFalse    r2, @32
     31  Take           2, @50 <node review_sms>
     32  LoadK          r1, K11="error"
     33  Eq             r2, r0, r1
     34  JumpIfFalse    r2, @36
     35  Take           2, @50 <node review_sms>
     36  AwaitStatus    r0, 0xe, 0
     37  LoadK          r1, K12="delivered"
     38  Eq             r2, r0, r1
     39  JumpIfFalse    r2, @41
     40  Take           0, @67 <node referral>
     41  LoadK          r1, K13="bounced"
     42  Eq             r2, r0, r1
     43  JumpIfFalse    r2, @45
     44  Take           1, @50 <node review_sms>
     45  LoadK          r1, K11="error"
     46  Eq             r2, r0, r1
     47  JumpIfFalse    r2, @49
     48  Take           2, @50 <node review_sms>
     49  Jump           @36
node review_sms:
     50  Enter          node review_sms    ; line 60:3
     51  LoadK          r1, K14="Hi "
     52  Profile        r2, "first_name"
     53  LoadK          r3, K5="there"
     54  Filter         r2, |default/2, r2
     55  Filter         r2, |title/1, r2
     56  LoadK          r3, K15=", how is your "
     57  EntryProp      r4, "product_name"
     58  LoadK          r5, K16=25
     59  Filter         r4, |truncate/2, r4
     60  LoadK          r5, K17="? Rate it in 30 seconds: "
     61  EntryProp      r6, "review_url"
     62  LoadK          r7, K18=" - Nestly"
     63  Concat         r1, r1, 7
     64  LoadK          r2, K19="NESTLY"
     65  Send           r0, send 1, r1
     66  Take           0, @67 <node referral>
node referral:
     67  Enter          node referral    ; line 65:3
     68  LoadK          r1, K20="Give Rs 200, get Rs 200"
     69  LoadK          r2, K21="Share your code "
     70  Profile        r3, "referral_code"
     71  Filter         r3, |upper/1, r3
     72  LoadK          r4, K22=" with friends. They save Rs 200 on their first order and you get Rs 200 credit."
     73  Concat         r2, r2, 3
     74  LoadK          r3, K23="nestly://referrals"
     75  Send           r0, send 2, r1
     76  Take           0, @77 <node lead_score>
node lead_score:
     77  Enter          node lead_score    ; line 71:3
     78  LoadK          r1, K24="https://crm.nestly.in/api/v2/contacts/"
     79  Profile        r2, "user_id"
     80  Filter         r2, |url_encode/1, r2
     81  LoadK          r3, K25="/score"
     82  Concat         r1, r1, 3
     83  LoadK          r2, K26="POST"
     84  MapNew         r3
     85  LoadK          r4, K27="application/json"
     86  MapSet         r3, r4, "Content-Type"
     87  LoadK          r4, K28="{\"event\": \"order_delivered\", \"order_id\": "
     88  EntryProp      r5, "order_id"
     89  Filter         r5, |json/1, r5
     90  LoadK          r6, K29=", \"order_value\": "
     91  EntryProp      r7, "amount"
     92  Filter         r7, |json/1, r7
     93  LoadK          r8, K30=", \"score_delta\": 15}"
     94  Filter         r5, |escape_json/1, r5
     95  Filter         r7, |escape_json/1, r7
     96  Concat         r4, r4, 5
     97  Send           r0, send 3, r1
     98  Take           0, @0 <end>
node thank_you:
     99  Enter          node thank_you    ; line 35:5
    100  LoadK          r1, K31="order_delivered_thank_you"
    101  EntryProp      r2, "invoice_url"
    102  Concat         r2, r2, 1
    103  MapNew         r3
    104  Profile        r4, "first_name"
    105  LoadK          r5, K5="there"
    106  Filter         r4, |default/2, r4
    107  Filter         r4, |title/1, r4
    108  Concat         r4, r4, 1
    109  MapSet         r3, r4, "first_name"
    110  EntryProp      r4, "order_id"
    111  Concat         r4, r4, 1
    112  MapSet         r3, r4, "order_id"
    113  EntryProp      r4, "amount"
    114  LoadK          r5, K32="INR"
    115  Filter         r4, |currency/2, r4
    116  Concat         r4, r4, 1
    117  MapSet         r3, r4, "amount"
    118  Send           r0, send 4, r1
    119  Take           0, @120 <node step1>
node step1:
    120  Enter          node step1    ; line 44:5
    121  LoadK          r0, K33=259200s
    122  WaitFor        r0
    123  Take           0, @2 <node review_request>
predicate 0:
    124  IsEvent        r0, "Order Status Updated"    ; line 29:9
    125  JumpIfFalse    r0, @130
    126  EventProp      r1, "status"
    127  LoadK          r2, K12="delivered"
    128  Eq             r1, r1, r2
    129  Move           r0, r1
    130  Return         r0
