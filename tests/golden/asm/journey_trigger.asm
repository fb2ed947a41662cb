; journey "Feature discovery: price alerts"
; hashes: structure c3600d3132a95cc2 content c56e69843e5c25b8
; registers 6, 33 instructions, 11 constants, 40 strings
; start node settle_in
.predicate 0 @29 <predicate 0>
.predicate 1 @31 <predicate 1> on "Price Alert Created"
.send 0 node alerts_tour in_app fields [title, body, image, button, deep_link] statuses [sent, error, suppressed, viewed, clicked, dismissed]
.send 1 node alerts_email email fields [subject, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.node 0 settle_in wait [next -> alerts_tour]
.node 1 alerts_tour send window 259200s [clicked -> end, timeout -> alerts_email]
.node 2 alerts_email send [next -> end]
end:
      0  End
exit:
      1  Exit
node settle_in:
      2  Enter          node settle_in    ; line 32:3
      3  LoadK          r0, K0=172800s
      4  WaitFor        r0
      5  Take           0, @6 <node alerts_tour>
node alerts_tour:
      6  Enter          node alerts_tour    ; line 34:3
      7  LoadK          r1, K1="Never miss a price drop"
      8  LoadK          r2, K2="Tap the bell on any product and we'll tell you the moment it gets cheaper."
      9  LoadK          r3, K3="https://cdn.nestly.in/inapp/price-alerts-tour.png"
     10  LoadK          r4, K4="Show me how"
     11  LoadK          r5, K5="nestly://features/price-alerts"
     12  Send           r0, send 0, r1
     13  AwaitStatus    r0, 0x10, 259200
     14  LoadK          r1, K6="clicked"
     15  Eq             r2, r0, r1
     16  JumpIfFalse    r2, @18
     17  Take           0, @0 <end>
     18  Take           1, @19 <node alerts_email>
node alerts_email:
     19  Enter          node alerts_email    ; line 42:3
     20  Profile        r1, "first_name"
     21  LoadK          r2, K7="Hi"
     22  Filter         r1, |default/2, r1
     23  Filter         r1, |title/1, r1
     24  LoadK          r2, K8=", let prices come to you"
     25  Concat         r1, r1, 2
     26  LoadK          r2, K9="\n      <p>Set a price alert on anything you're eyeing and we'll notify you the\n         minute it drops. It takes one tap.</p>\n      <p><a href=\"https://nestly.in/features/price-alerts\">See how price alerts work</a></p>\n    "
     27  Send           r0, send 1, r1
     28  Take           0, @0 <end>
predicate 0:
     29  LoadK          r0, K10=true    ; line 26:9
     30  Return         r0
predicate 1:
     31  IsEvent        r0, "Price Alert Created"    ; line 28:23
     32  Return         r0
