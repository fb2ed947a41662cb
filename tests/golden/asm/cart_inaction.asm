; journey "Cart reminder after 15 minutes"
; hashes: structure af078db19e8c0be8 content f1f29e7b4be1d91c
; registers 7, 49 instructions, 11 constants, 45 strings
; start node cart_push
.predicate 0 @43 <predicate 0> on "Added To Cart"
.predicate 1 @45 <predicate 1> on "Charged"
.predicate 2 @47 <predicate 2> on "Charged"
.inaction 0 pred 0 then not pred 1 within 900s
.send 0 node morning_email email at minute 600 fields [subject, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.send 1 node cart_push push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.node 0 morning_email send [next -> end]
.node 1 cart_push send [next -> bought]
.node 2 bought segment window 86400s [timeout -> morning_email, yes -> step1]
.node 3 step1 update [next -> end]
end:
      0  End
exit:
      1  Exit
node morning_email:
      2  Enter          node morning_email    ; line 45:3
      3  LoadK          r1, K0="Your cart is saved, "
      4  Profile        r2, "first_name"
      5  LoadK          r3, K1="friend"
      6  Filter         r2, |default/2, r2
      7  Filter         r2, |title/1, r2
      8  Concat         r1, r1, 2
      9  LoadK          r2, K2="\n      <p>We kept "
     10  EntryProp      r3, "product_name"
     11  LoadK          r4, K3=" in your cart for you.</p>\n      <p><a href=\""
     12  EntryProp      r5, "cart_url"
     13  LoadK          r6, K4="\">Return to my cart</a></p>\n    "
     14  Filter         r3, |escape_html/1, r3
     15  Filter         r5, |escape_html/1, r5
     16  Concat         r2, r2, 5
     17  Send           r0, send 0, r1
     18  Take           0, @0 <end>
node cart_push:
     19  Enter          node cart_push    ; line 35:5
     20  LoadK          r1, K5="You left something behind"
     21  EntryProp      r2, "product_name"
     22  LoadK          r3, K6=40
     23  Filter         r2, |truncate/2, r2
     24  LoadK          r3, K7=" ("
     25  EntryProp      r4, "price"
     26  LoadK          r5, K8="INR"
     27  Filter         r4, |currency/2, r4
     28  LoadK          r5, K9=") is still in your cart."
     29  Concat         r2, r2, 4
     30  EntryProp      r3, "cart_url"
     31  Concat         r3, r3, 1
     32  Send           r0, send 1, r1
     33  Take           0, @34 <node bought>
node bought:
     34  Enter          node bought    ; line 41:5
     35  AwaitEvent     r0, pred 2, 86400
     36  JumpIfFalse    r0, @38
     37  Take           1, @39 <node step1>
     38  Take           0, @2 <node morning_email>
node step1:
     39  Enter          node step1    ; line 42:5
     40  LoadK          r0, K10=1
     41  IncProp        r0, "recovered_carts"
     42  Take           0, @0 <end>
predicate 0:
     43  IsEvent        r0, "Added To Cart"    ; line 30:9
     44  Return         r0
predicate 1:
     45  IsEvent        r0, "Charged"    ; line 30:37
     46  Return         r0
predicate 2:
     47  IsEvent        r0, "Charged"    ; line 41:21
     48  Return         r0
