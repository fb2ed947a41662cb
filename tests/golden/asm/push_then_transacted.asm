; journey "Wishlist push with purchase check"
; hashes: structure 5c8f9673851ba8fe content 7d498a874420f15f
; registers 6, 64 instructions, 17 constants, 50 strings
; start node reminder_push
.predicate 0 @55 <predicate 0> on "Wishlist Added"
.predicate 1 @62 <predicate 1>
.aggregate 0 "Charged" exists >= 1 in last 172800s
.send 0 node path_b push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.send 1 node reminder_push push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.send 2 node path_a email fields [subject, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.node 0 path_b send [next -> end]
.node 1 reminder_push send [next -> step1]
.node 2 step1 wait [next -> transacted]
.node 3 transacted segment [no -> path_b, yes -> path_a]
.node 4 path_a send [next -> end]
end:
      0  End
exit:
      1  Exit
node path_b:
      2  Enter          node path_b    ; line 53:3
      3  LoadK          r1, K0="A little something for your wishlist"
      4  LoadK          r2, K1="Take 5% off "
      5  EntryProp      r3, "product_name"
      6  LoadK          r4, K2=30
      7  Filter         r3, |truncate/2, r3
      8  LoadK          r4, K3=" with code WISH5. Valid for 48 hours."
      9  Concat         r2, r2, 3
     10  LoadK          r3, K4="nestly://product/"
     11  EntryProp      r4, "product_id"
     12  Filter         r4, |url_encode/1, r4
     13  LoadK          r5, K5="?coupon=WISH5"
     14  Concat         r3, r3, 3
     15  Send           r0, send 0, r1
     16  Take           0, @0 <end>
node reminder_push:
     17  Enter          node reminder_push    ; line 35:5
     18  LoadK          r1, K6="Still thinking about it?"
     19  EntryProp      r2, "product_name"
     20  LoadK          r3, K7=40
     21  Filter         r2, |truncate/2, r2
     22  LoadK          r3, K8=" is waiting in your wishlist at "
     23  EntryProp      r4, "price"
     24  LoadK          r5, K9="INR"
     25  Filter         r4, |currency/2, r4
     26  LoadK          r5, K10="."
     27  Concat         r2, r2, 4
     28  LoadK          r3, K4="nestly://product/"
     29  EntryProp      r4, "product_id"
     30  Filter         r4, |url_encode/1, r4
     31  Concat         r3, r3, 2
     32  Send           r0, send 1, r1
     33  Take           0, @34 <node step1>
node step1:
     34  Enter          node step1    ; line 40:5
     35  LoadK          r0, K11=86400s
     36  WaitFor        r0
     37  Take           0, @38 <node transacted>
node transacted:
     38  Enter          node transacted    ; line 41:5
     39  AwaitDaily     r0, pred 1, 0
     40  JumpIfFalse    r0, @42
     41  Take           1, @43 <node path_a>
     42  Take           0, @2 <node path_b>
node path_a:
     43  Enter          node path_a    ; line 43:5
     44  LoadK          r1, K12="Thank you for shopping with Nestly"
     45  LoadK          r2, K13="\n        <p>Hi "
     46  Profile        r3, "first_name"
     47  LoadK          r4, K14="there"
     48  Filter         r3, |default/2, r3
     49  Filter         r3, |title/1, r3
     50  LoadK          r4, K15=", thanks for your order!</p>\n        <p>Track it any time from the Orders tab in the app.</p>\n      "
     51  Filter         r3, |escape_html/1, r3
     52  Concat         r2, r2, 3
     53  Send           r0, send 2, r1
     54  Take           0, @0 <end>
predicate 0:
     55  IsEvent        r0, "Wishlist Added"    ; line 30:9
     56  JumpIfFalse    r0, @61
     57  EventProp      r1, "price"
     58  LoadK          r2, K16=1000
     59  Ge             r1, r1, r2
     60  Move           r0, r1
     61  Return         r0
predicate 1:
     62  History        r0, agg 0    ; line 41:25
     63  Return         r0
