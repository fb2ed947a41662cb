; journey "In-store customers: get the app"
; hashes: structure 5adf6f17ecef7e40 content 674ea419a71c2787
; registers 7, 61 instructions, 19 constants, 54 strings
; start node invite_sms
.predicate 0 @57 <predicate 0>
.predicate 1 @59 <predicate 1> on "App Installed"
.send 0 node reminder_email email fields [subject, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.send 1 node invite_sms sms fields [text, sender_id] statuses [sent, delivered, error, suppressed, clicked]
.send 2 node welcome_push push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.node 0 reminder_email send [next -> not_installed]
.node 1 not_installed exit []
.node 2 invite_sms send [next -> installed]
.node 3 installed segment window 604800s [timeout -> reminder_email, yes -> bonus]
.node 4 bonus update [next -> welcome_push]
.node 5 welcome_push send [next -> end]
end:
      0  End
exit:
      1  Exit
node reminder_email:
      2  Enter          node reminder_email    ; line 49:3
      3  LoadK          r1, K0="Your 500 bonus points are waiting"
      4  LoadK          r2, K1="\n      <p>Hi "
      5  Profile        r3, "first_name"
      6  LoadK          r4, K2="there"
      7  Filter         r3, |default/2, r3
      8  Filter         r3, |title/1, r3
      9  LoadK          r4, K3=",</p>\n      <p>Install the Nestly app and sign in with "
     10  Profile        r5, "phone"
     11  LoadK          r6, K4=" to claim\n         500 bonus points on us.</p>\n      <p><a href=\"https://nestly.in/app\">Get the app</a></p>\n    "
     12  Concat         r2, r2, 5
     13  Send           r0, send 0, r1
     14  Take           0, @15 <node not_installed>
node not_installed:
     15  Enter          node not_installed    ; line 60:3
exit:
     16  Exit
node invite_sms:
     17  Enter          node invite_sms    ; line 33:5
     18  LoadK          r1, K5="Hi "
     19  Profile        r2, "first_name"
     20  LoadK          r3, K2="there"
     21  Filter         r2, |default/2, r2
     22  Filter         r2, |title/1, r2
     23  LoadK          r3, K6=", thanks for shopping at Nestly "
     24  Profile        r4, "home_store"
     25  LoadK          r5, K7=""
     26  Filter         r4, |default/2, r4
     27  LoadK          r5, K8="! Get the app within 7 days and we'll add 500 bonus points: https://nestly.in/app"
     28  Concat         r1, r1, 5
     29  LoadK          r2, K9="NESTLY"
     30  Send           r0, send 1, r1
     31  Take           0, @32 <node installed>
node installed:
     32  Enter          node installed    ; line 37:5
     33  AwaitEvent     r0, pred 1, 604800
     34  JumpIfFalse    r0, @36
     35  Take           1, @37 <node bonus>
     36  Take           0, @2 <node reminder_email>
node bonus:
     37  Enter          node bonus    ; line 38:5
     38  LoadK          r0, K10=500
     39  IncProp        r0, "loyalty_points"
     40  LoadK          r0, K11="pos_to_app"
     41  AddProp        r0, "acquisition_channels"
     42  Take           0, @43 <node welcome_push>
node welcome_push:
     43  Enter          node welcome_push    ; line 42:5
     44  LoadK          r1, K12="500 bonus points added"
     45  LoadK          r2, K13="Welcome to the app, "
     46  Profile        r3, "first_name"
     47  LoadK          r4, K14="friend"
     48  Filter         r3, |default/2, r3
     49  Filter         r3, |title/1, r3
     50  LoadK          r4, K15="! You now have "
     51  Profile        r5, "loyalty_points"
     52  LoadK          r6, K16=" points to spend."
     53  Concat         r2, r2, 5
     54  LoadK          r3, K17="nestly://loyalty"
     55  Send           r0, send 2, r1
     56  Take           0, @0 <end>
predicate 0:
     57  LoadK          r0, K18=true    ; line 28:9
     58  Return         r0
predicate 1:
     59  IsEvent        r0, "App Installed"    ; line 37:24
     60  Return         r0
