; journey "Facebook Diwali campaign visitors"
; hashes: structure ccfeb7c42d2ab908 content 7f085ecbac8adb11
; registers 6, 50 instructions, 12 constants, 43 strings
; start node settle_in
.predicate 0 @36 <predicate 0> on "Referrer Entry"
.predicate 1 @48 <predicate 1> on "Charged"
.send 0 node offer_push push fields [platform, title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.send 1 node offer_email email fields [subject, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.node 0 settle_in wait [next -> offer_push]
.node 1 offer_push send window 86400s [clicked -> end, timeout -> offer_email]
.node 2 offer_email send [next -> end]
end:
      0  End
exit:
      1  Exit
node settle_in:
      2  Enter          node settle_in    ; line 29:3
      3  LoadK          r0, K0=600s
      4  WaitFor        r0
      5  Take           0, @6 <node offer_push>
node offer_push:
      6  Enter          node offer_push    ; line 31:3
      7  LoadK          r1, K1="web"
      8  LoadK          r2, K2="Your Diwali offer is ready"
      9  LoadK          r3, K3="Flat 15% off festive decor, as promised in our ad. Tap to shop."
     10  LoadK          r4, K4="https://nestly.in/diwali?utm_source=push&utm_campaign="
     11  EntryProp      r5, "utm_campaign"
     12  Filter         r5, |url_encode/1, r5
     13  Concat         r4, r4, 2
     14  Send           r0, send 0, r1
     15  AwaitStatus    r0, 0x20, 86400
     16  LoadK          r1, K5="clicked"
     17  Eq             r2, r0, r1
     18  JumpIfFalse    r2, @20
     19  Take           0, @0 <end>
     20  Take           1, @21 <node offer_email>
node offer_email:
     21  Enter          node offer_email    ; line 38:3
     22  Profile        r1, "first_name"
     23  LoadK          r2, K6="Hi"
     24  Filter         r1, |default/2, r1
     25  Filter         r1, |title/1, r1
     26  LoadK          r2, K7=", your 15% Diwali offer ends soon"
     27  Concat         r1, r1, 2
     28  LoadK          r2, K8="\n      <p>Light up your home for less: 15% off all festive decor.</p>\n      <p><a href=\"https://nestly.in/diwali?utm_source=email&utm_campaign="
     29  EntryProp      r3, "utm_campaign"
     30  Filter         r3, |url_encode/1, r3
     31  LoadK          r4, K9="\">Shop the Diwali edit</a></p>\n    "
     32  Filter         r3, |escape_html/1, r3
     33  Concat         r2, r2, 3
     34  Send           r0, send 1, r1
     35  Take           0, @0 <end>
predicate 0:
     36  IsEvent        r0, "Referrer Entry"    ; line 21:9
     37  JumpIfFalse    r0, @47
     38  EventProp      r1, "utm_source"
     39  LoadK          r2, K10="facebook"
     40  Eq             r1, r1, r2
     41  JumpIfFalse    r1, @46
     42  EventProp      r2, "utm_campaign"
     43  LoadK          r3, K11="diwali"
     44  StartsWith     r2, r2, r3
     45  Move           r1, r2
     46  Move           r0, r1
     47  Return         r0
predicate 1:
     48  IsEvent        r0, "Charged"    ; line 24:19
     49  Return         r0
