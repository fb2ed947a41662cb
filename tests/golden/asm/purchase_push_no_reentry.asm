; journey "Thank-you promo after first purchase"
; hashes: structure 5ff6d12773f44c43 content 05e51ba223b6fbac
; registers 5, 26 instructions, 8 constants, 29 strings
; start node step1
.predicate 0 @24 <predicate 0> on "Charged"
.send 0 node promo_push push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.node 0 step1 wait [next -> promo_push]
.node 1 promo_push send [next -> end]
end:
      0  End
exit:
      1  Exit
node step1:
      2  Enter          node step1    ; line 26:5
      3  LoadK          r0, K0=1200s
      4  WaitFor        r0
      5  Take           0, @6 <node promo_push>
node promo_push:
      6  Enter          node promo_push    ; line 27:5
      7  LoadK          r1, K1="Thanks for your order, "
      8  Profile        r2, "first_name"
      9  LoadK          r3, K2="friend"
     10  Filter         r2, |default/2, r2
     11  Filter         r2, |title/1, r2
     12  LoadK          r3, K3="!"
     13  Concat         r1, r1, 3
     14  LoadK          r2, K4="Here's 15% off your next "
     15  EntryProp      r3, "category"
     16  LoadK          r4, K5="order"
     17  Filter         r3, |default/2, r3
     18  Filter         r3, |lower/1, r3
     19  LoadK          r4, K6=": use NEXT15 at checkout within 7 days."
     20  Concat         r2, r2, 3
     21  LoadK          r3, K7="nestly://offers/NEXT15"
     22  Send           r0, send 0, r1
     23  Take           0, @0 <end>
predicate 0:
     24  IsEvent        r0, "Charged"    ; line 22:9
     25  Return         r0
