; journey "Wishlist price-drop alerts"
; hashes: structure 576529a538cf99b6 content a969729f45c14cd0
; registers 13, 94 instructions, 26 constants, 62 strings
; start node alert_push
.predicate 0 @85 <predicate 0> on "Price Dropped"
.predicate 1 @92 <predicate 1> on "Charged"
.send 0 node alert_push push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.send 1 node alert_email email fields [subject, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.send 2 node last_call_sms sms fields [text, sender_id] statuses [sent, delivered, error, suppressed, clicked]
.node 0 alert_push send [next -> wait_for_purchase, suppressed -> alert_email]
.node 1 alert_email send [next -> wait_for_purchase]
.node 2 wait_for_purchase wait [next -> last_call_sms]
.node 3 last_call_sms send [next -> end]
end:
      0  End
exit:
      1  Exit
node alert_push:
      2  Enter          node alert_push    ; line 56:3
      3  LoadK          r1, K0="Price drop: "
      4  EntryProp      r2, "drop_percent"
      5  LoadK          r3, K1=0
      6  Filter         r2, |round/2, r2
      7  LoadK          r3, K2="% off"
      8  Concat         r1, r1, 3
      9  EntryProp      r2, "product_name"
     10  LoadK          r3, K3=40
     11  Filter         r2, |truncate/2, r2
     12  LoadK          r3, K4=" is now "
     13  EntryProp      r4, "new_price"
     14  LoadK          r5, K5="INR"
     15  Filter         r4, |currency/2, r4
     16  LoadK          r5, K6=" (was "
     17  EntryProp      r6, "old_price"
     18  LoadK          r7, K5="INR"
     19  Filter         r6, |currency/2, r6
     20  LoadK          r7, K7=")."
     21  Concat         r2, r2, 6
     22  LoadK          r3, K8="nestly://product/"
     23  EntryProp      r4, "product_id"
     24  Filter         r4, |url_encode/1, r4
     25  Concat         r3, r3, 2
     26  Send           r0, send 0, r1
     27  LoadK          r1, K9="suppressed"
     28  Eq             r2, r0, r1
     29  JumpIfFalse    r2, @31
     30  Take           1, @32 <node alert_email>
     31  Take           0, @65 <node wait_for_purchase>
node alert_email:
     32  Enter          node alert_email    ; line 64:3
     33  EntryProp      r1, "product_name"
     34  LoadK          r2, K10=50
     35  Filter         r1, |truncate/2, r1
     36  LoadK          r2, K11=" just got cheaper"
     37  Concat         r1, r1, 2
     38  LoadK          r2, K12="\n      <p>Good news, "
     39  Profile        r3, "first_name"
     40  LoadK          r4, K13="there"
     41  Filter         r3, |default/2, r3
     42  Filter         r3, |title/1, r3
     43  LoadK          r4, K14="!</p>\n      <p>"
     44  EntryProp      r5, "product_name"
     45  LoadK          r6, K15=" dropped from "
     46  EntryProp      r7, "old_price"
     47  LoadK          r8, K5="INR"
     48  Filter         r7, |currency/2, r7
     49  LoadK          r8, K16="\n         to <strong>"
     50  EntryProp      r9, "new_price"
     51  LoadK          r10, K5="INR"
     52  Filter         r9, |currency/2, r9
     53  LoadK          r10, K17="</strong>.</p>\n      <p><a href=\"https://nestly.in/p/"
     54  EntryProp      r11, "product_id"
     55  Filter         r11, |url_encode/1, r11
     56  LoadK          r12, K18="\">See the deal</a></p>\n    "
     57  Filter         r3, |escape_html/1, r3
     58  Filter         r5, |escape_html/1, r5
     59  Filter         r7, |escape_html/1, r7
     60  Filter         r9, |escape_html/1, r9
     61  Filter         r11, |escape_html/1, r11
     62  Concat         r2, r2, 11
     63  Send           r0, send 1, r1
     64  Take           0, @65 <node wait_for_purchase>
node wait_for_purchase:
     65  Enter          node wait_for_purchase    ; line 75:3
     66  LoadK          r0, K19=86400s
     67  WaitFor        r0
     68  Take           0, @69 <node last_call_sms>
node last_call_sms:
     69  Enter          node last_call_sms    ; line 79:3
     70  LoadK          r1, K20="Nestly: "
     71  EntryProp      r2, "product_name"
     72  LoadK          r3, K21=30
     73  Filter         r2, |truncate/2, r2
     74  LoadK          r3, K22=" is still "
     75  EntryProp      r4, "new_price"
     76  LoadK          r5, K5="INR"
     77  Filter         r4, |currency/2, r4
     78  LoadK          r5, K23=". Prices can change any time: https://nestly.in/p/"
     79  EntryProp      r6, "product_id"
     80  Filter         r6, |url_encode/1, r6
     81  Concat         r1, r1, 6
     82  LoadK          r2, K24="NESTLY"
     83  Send           r0, send 2, r1
     84  Take           0, @0 <end>
predicate 0:
     85  IsEvent        r0, "Price Dropped"    ; line 35:9
     86  JumpIfFalse    r0, @91
     87  EventProp      r1, "drop_percent"
     88  LoadK          r2, K25=10
     89  Ge             r1, r1, r2
     90  Move           r0, r1
     91  Return         r0
predicate 1:
     92  IsEvent        r0, "Charged"    ; line 42:19
     93  Return         r0
