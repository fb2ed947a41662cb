; journey "Post-purchase follow-up"
; hashes: structure 624865c71223679e content 503ca3dc035d9cfa
; registers 12, 129 instructions, 34 constants, 86 strings
; start node thank_you
.predicate 0 @122 <predicate 0> on "Order Status Updated"
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
     94  Concat         r4, r4, 5
     95  Send           r0, send 3, r1
     96  Take           0, @0 <end>
node thank_you:
     97  Enter          node thank_you    ; line 35:5
     98  LoadK          r1, K31="order_delivered_thank_you"
     99  EntryProp      r2, "invoice_url"
    100  Concat         r2, r2, 1
    101  MapNew         r3
    102  Profile        r4, "first_name"
    103  LoadK          r5, K5="there"
    104  Filter         r4, |default/2, r4
    105  Filter         r4, |title/1, r4
    106  Concat         r4, r4, 1
    107  MapSet         r3, r4, "first_name"
    108  EntryProp      r4, "order_id"
    109  Concat         r4, r4, 1
    110  MapSet         r3, r4, "order_id"
    111  EntryProp      r4, "amount"
    112  LoadK          r5, K32="INR"
    113  Filter         r4, |currency/2, r4
    114  Concat         r4, r4, 1
    115  MapSet         r3, r4, "amount"
    116  Send           r0, send 4, r1
    117  Take           0, @118 <node step1>
node step1:
    118  Enter          node step1    ; line 44:5
    119  LoadK          r0, K33=259200s
    120  WaitFor        r0
    121  Take           0, @2 <node review_request>
predicate 0:
    122  IsEvent        r0, "Order Status Updated"    ; line 29:9
    123  JumpIfFalse    r0, @128
    124  EventProp      r1, "status"
    125  LoadK          r2, K12="delivered"
    126  Eq             r1, r1, r2
    127  Move           r0, r1
    128  Return         r0
