; journey "Cart recovery: discount vs free shipping"
; hashes: structure d0803050c60cedfe content cb5c4383ebfae0bd
; registers 7, 89 instructions, 22 constants, 58 strings
; start node experiment
.predicate 0 @83 <predicate 0> on "Added To Cart"
.predicate 1 @85 <predicate 1> on "Charged"
.predicate 2 @87 <predicate 2> on "Charged"
.inaction 0 pred 0 then not pred 1 within 7200s
.send 0 node discount_push push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.send 1 node discount_email email fields [subject, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.send 2 node shipping_push push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.send 3 node shipping_email email fields [subject, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.node 0 experiment split [discount -> discount_push, shipping -> shipping_push, control -> end]
.node 1 discount_push send [next -> step1]
.node 2 step1 wait [next -> discount_email]
.node 3 discount_email send [next -> end]
.node 4 shipping_push send [next -> step2]
.node 5 step2 wait [next -> shipping_email]
.node 6 shipping_email send [next -> end]
end:
      0  End
exit:
      1  Exit
node experiment:
      2  Enter          node experiment    ; line 42:3
      3  Split          r0, node experiment
      4  LoadK          r1, K0=0
      5  Eq             r2, r0, r1
      6  JumpIfFalse    r2, @8
      7  Take           0, @13 <node discount_push>
      8  LoadK          r1, K1=1
      9  Eq             r2, r0, r1
     10  JumpIfFalse    r2, @12
     11  Take           1, @47 <node shipping_push>
     12  Take           2, @0 <end>
node discount_push:
     13  Enter          node discount_push    ; line 47:5
     14  LoadK          r1, K2="10% off your cart, today only"
     15  LoadK          r2, K3="Use CART10 on your "
     16  EntryProp      r3, "cart_value"
     17  LoadK          r4, K4="INR"
     18  Filter         r3, |currency/2, r3
     19  LoadK          r4, K5=" cart. Tap to check out."
     20  Concat         r2, r2, 3
     21  EntryProp      r3, "cart_url"
     22  LoadK          r4, K6="?coupon=CART10"
     23  Concat         r3, r3, 2
     24  Send           r0, send 0, r1
     25  Take           0, @26 <node step1>
node step1:
     26  Enter          node step1    ; line 52:5
     27  LoadK          r0, K7=86400s
     28  WaitFor        r0
     29  Take           0, @30 <node discount_email>
node discount_email:
     30  Enter          node discount_email    ; line 53:5
     31  LoadK          r1, K8="Your 10% off expires tonight, "
     32  Profile        r2, "first_name"
     33  LoadK          r3, K9="friend"
     34  Filter         r2, |default/2, r2
     35  Filter         r2, |title/1, r2
     36  Concat         r1, r1, 2
     37  LoadK          r2, K10="\n        <p>"
     38  EntryProp      r3, "product_name"
     39  LoadK          r4, K11=" and the rest of your cart are 10% off with\n           code <strong>CART10</strong> until midnight.</p>\n        <p><a href=\""
     40  EntryProp      r5, "cart_url"
     41  LoadK          r6, K12="?coupon=CART10\">Check out now</a></p>\n      "
     42  Filter         r3, |escape_html/1, r3
     43  Filter         r5, |escape_html/1, r5
     44  Concat         r2, r2, 5
     45  Send           r0, send 1, r1
     46  Take           0, @0 <end>
node shipping_push:
     47  Enter          node shipping_push    ; line 65:5
     48  LoadK          r1, K13="Free shipping on your cart"
     49  LoadK          r2, K14="We'll ship your "
     50  EntryProp      r3, "product_name"
     51  LoadK          r4, K15=30
     52  Filter         r3, |truncate/2, r3
     53  LoadK          r4, K16=" for free. Tap to check out."
     54  Concat         r2, r2, 3
     55  EntryProp      r3, "cart_url"
     56  LoadK          r4, K17="?coupon=FREESHIP"
     57  Concat         r3, r3, 2
     58  Send           r0, send 2, r1
     59  Take           0, @60 <node step2>
node step2:
     60  Enter          node step2    ; line 70:5
     61  LoadK          r0, K7=86400s
     62  WaitFor        r0
     63  Take           0, @64 <node shipping_email>
node shipping_email:
     64  Enter          node shipping_email    ; line 71:5
     65  LoadK          r1, K18="Free shipping ends tonight, "
     66  Profile        r2, "first_name"
     67  LoadK          r3, K9="friend"
     68  Filter         r2, |default/2, r2
     69  Filter         r2, |title/1, r2
     70  Concat         r1, r1, 2
     71  LoadK          r2, K19="\n        <p>Your cart of "
     72  EntryProp      r3, "cart_value"
     73  LoadK          r4, K4="INR"
     74  Filter         r3, |currency/2, r3
     75  LoadK          r4, K20=" ships free with code\n           <strong>FREESHIP</strong> until midnight.</p>\n        <p><a href=\""
     76  EntryProp      r5, "cart_url"
     77  LoadK          r6, K21="?coupon=FREESHIP\">Check out now</a></p>\n      "
     78  Filter         r3, |escape_html/1, r3
     79  Filter         r5, |escape_html/1, r5
     80  Concat         r2, r2, 5
     81  Send           r0, send 3, r1
     82  Take           0, @0 <end>
predicate 0:
     83  IsEvent        r0, "Added To Cart"    ; line 34:9
     84  Return         r0
predicate 1:
     85  IsEvent        r0, "Charged"    ; line 34:37
     86  Return         r0
predicate 2:
     87  IsEvent        r0, "Charged"    ; line 37:19
     88  Return         r0
