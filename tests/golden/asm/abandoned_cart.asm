; journey "Abandoned cart recovery"
; hashes: structure 3d9c4096e23976da content aa28920b20feb8f9
; registers 11, 133 instructions, 31 constants, 90 strings
; start node nudge
.predicate 0 @125 <predicate 0> on "Added To Cart"
.predicate 1 @127 <predicate 1> on "Charged"
.predicate 2 @129 <predicate 2> on "Charged"
.predicate 3 @131 <predicate 3> on "Checkout Started"
.inaction 0 pred 0 then not pred 1 within 3600s
.send 0 node cart_reminder whatsapp fields [template, media, vars] statuses [sent, delivered, error, suppressed, read, replied, clicked]
.send 1 node coupon_email email fields [subject, from, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.send 2 node finish_checkout push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.send 3 node final_sms sms fields [text, sender_id] statuses [sent, delivered, error, suppressed, clicked]
.send 4 node analytics webhook fields [url, method, headers, body] statuses [sent, error, suppressed]
.send 5 node nudge whatsapp fields [template, vars] statuses [sent, delivered, error, suppressed, read, replied, clicked]
.node 0 cart_reminder send window 21600s [replied -> end, timeout -> coupon_email, error -> coupon_email]
.node 1 coupon_email send [next -> came_back]
.node 2 came_back segment window 86400s [yes -> finish_checkout, timeout -> final_sms]
.node 3 finish_checkout send [next -> last_chance_wait]
.node 4 final_sms send [next -> last_chance_wait]
.node 5 last_chance_wait wait [next -> analytics]
.node 6 analytics send [next -> end]
.node 7 nudge send [next -> step1]
.node 8 step1 wait [next -> cart_reminder]
end:
      0  End
exit:
      1  Exit
node cart_reminder:
      2  Enter          node cart_reminder    ; line 67:3
      3  LoadK          r1, K0="cart_reminder_with_items"
      4  EntryProp      r2, "product_image"
      5  Concat         r2, r2, 1
      6  MapNew         r3
      7  EntryProp      r4, "product_name"
      8  LoadK          r5, K1=40
      9  Filter         r4, |truncate/2, r4
     10  Concat         r4, r4, 1
     11  MapSet         r3, r4, "product"
     12  EntryProp      r4, "quantity"
     13  Concat         r4, r4, 1
     14  MapSet         r3, r4, "quantity"
     15  EntryProp      r4, "cart_value"
     16  LoadK          r5, K2="INR"
     17  Filter         r4, |currency/2, r4
     18  Concat         r4, r4, 1
     19  MapSet         r3, r4, "cart_total"
     20  EntryProp      r4, "cart_url"
     21  Concat         r4, r4, 1
     22  MapSet         r3, r4, "cart_link"
     23  Send           r0, send 0, r1
     24  LoadK          r1, K3="suppressed"
     25  Eq             r2, r0, r1
     26  JumpIfFalse    r2, @28
     27  Take           2, @42 <node coupon_email>
     28  LoadK          r1, K4="error"
     29  Eq             r2, r0, r1
     30  JumpIfFalse    r2, @32
     31  Take           2, @42 <node coupon_email>
     32  AwaitStatus    r0, 0x24, 21600
     33  LoadK          r1, K4="error"
     34  Eq             r2, r0, r1
     35  JumpIfFalse    r2, @37
     36  Take           2, @42 <node coupon_email>
     37  LoadK          r1, K5="replied"
     38  Eq             r2, r0, r1
     39  JumpIfFalse    r2, @41
     40  Take           0, @0 <end>
     41  Take           1, @42 <node coupon_email>
node coupon_email:
     42  Enter          node coupon_email    ; line 78:3
     43  Profile        r1, "first_name"
     44  LoadK          r2, K6="Hey"
     45  Filter         r1, |default/2, r1
     46  Filter         r1, |title/1, r1
     47  LoadK          r2, K7=", here's 10% off what's in your cart"
     48  Concat         r1, r1, 2
     49  LoadK          r2, K8="Nestly <offers@nestly.in>"
     50  LoadK          r3, K9="\n      <p>Your "
     51  EntryProp      r4, "product_name"
     52  LoadK          r5, K10=" is still waiting for you.</p>\n      <p>Use code <strong>COMEBACK10</strong> for 10% off your cart of\n         "
     53  EntryProp      r6, "cart_value"
     54  LoadK          r7, K2="INR"
     55  Filter         r6, |currency/2, r6
     56  LoadK          r7, K11=". Valid for 48 hours.</p>\n      <p><a href=\""
     57  EntryProp      r8, "cart_url"
     58  LoadK          r9, K12="?coupon=COMEBACK10\">Complete my order</a></p>\n    "
     59  Filter         r4, |escape_html/1, r4
     60  Filter         r6, |escape_html/1, r6
     61  Filter         r8, |escape_html/1, r8
     62  Concat         r3, r3, 7
     63  Send           r0, send 1, r1
     64  Take           0, @65 <node came_back>
node came_back:
     65  Enter          node came_back    ; line 90:3
     66  AwaitEvent     r0, pred 3, 86400
     67  JumpIfFalse    r0, @69
     68  Take           0, @70 <node finish_checkout>
     69  Take           1, @76 <node final_sms>
node finish_checkout:
     70  Enter          node finish_checkout    ; line 92:3
     71  LoadK          r1, K13="Your coupon is applied"
     72  LoadK          r2, K14="COMEBACK10 is saved on your cart. Tap to finish your order before it expires."
     73  LoadK          r3, K15="nestly://checkout"
     74  Send           r0, send 2, r1
     75  Take           0, @87 <node last_chance_wait>
node final_sms:
     76  Enter          node final_sms    ; line 98:3
     77  LoadK          r1, K16="Nestly: last chance! "
     78  EntryProp      r2, "product_name"
     79  LoadK          r3, K17=30
     80  Filter         r2, |truncate/2, r2
     81  LoadK          r3, K18=" is still in your cart. Use COMEBACK10 for 10% off today: "
     82  EntryProp      r4, "cart_url"
     83  Concat         r1, r1, 4
     84  LoadK          r2, K19="NESTLY"
     85  Send           r0, send 3, r1
     86  Take           0, @87 <node last_chance_wait>
node last_chance_wait:
     87  Enter          node last_chance_wait    ; line 103:3
     88  LoadK          r0, K20=86400s
     89  WaitFor        r0
     90  Take           0, @91 <node analytics>
node analytics:
     91  Enter          node analytics    ; line 106:3
     92  LoadK          r1, K21="https://analytics.nestly.in/v1/audiences/cart-abandoners/members"
     93  LoadK          r2, K22="POST"
     94  MapNew         r3
     95  LoadK          r4, K23="application/json"
     96  MapSet         r3, r4, "Content-Type"
     97  LoadK          r4, K24="{\"user_id\": "
     98  Profile        r5, "user_id"
     99  Filter         r5, |json/1, r5
    100  LoadK          r6, K25=", \"product_id\": "
    101  EntryProp      r7, "product_id"
    102  Filter         r7, |json/1, r7
    103  LoadK          r8, K26=", \"cart_value\": "
    104  EntryProp      r9, "cart_value"
    105  Filter         r9, |json/1, r9
    106  LoadK          r10, K27=" }"
    107  Concat         r4, r4, 7
    108  Send           r0, send 4, r1
    109  Take           0, @0 <end>
node nudge:
    110  Enter          node nudge    ; line 58:5
    111  LoadK          r1, K28="cart_gentle_nudge"
    112  MapNew         r2
    113  Profile        r3, "first_name"
    114  LoadK          r4, K29="there"
    115  Filter         r3, |default/2, r3
    116  Filter         r3, |title/1, r3
    117  Concat         r3, r3, 1
    118  MapSet         r2, r3, "first_name"
    119  Send           r0, send 5, r1
    120  Take           0, @121 <node step1>
node step1:
    121  Enter          node step1    ; line 62:5
    122  LoadK          r0, K30=1800s
    123  WaitFor        r0
    124  Take           0, @2 <node cart_reminder>
predicate 0:
    125  IsEvent        r0, "Added To Cart"    ; line 47:9
    126  Return         r0
predicate 1:
    127  IsEvent        r0, "Charged"    ; line 47:37
    128  Return         r0
predicate 2:
    129  IsEvent        r0, "Charged"    ; line 53:19
    130  Return         r0
predicate 3:
    131  IsEvent        r0, "Checkout Started"    ; line 90:27
    132  Return         r0
