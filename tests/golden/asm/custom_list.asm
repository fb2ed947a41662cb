; journey "In-store customers: get the app"
; hashes: structure 5adf6f17ecef7e40 content 674ea419a71c2787
; registers 7, 63 instructions, 19 constants, 55 strings
; start node invite_sms
.predicate 0 @59 <predicate 0>
.predicate 1 @61 <predicate 1> on "App Installed"
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
      2  Enter          node reminder_email    ; line 50:3
      3  LoadK          r1, K0="Your 500 bonus points are waiting"
      4  LoadK          r2, K1="\n      <p>Hi "
      5  Profile        r3, "first_name"
      6  LoadK          r4, K2="there"
      7  Filter         r3, |default/2, r3
      8  Filter         r3, |title/1, r3
      9  LoadK          r4, K3=",</p>\n      <p>Install the Nestly app and sign in with "
     10  Profile        r5, "phone"
     11  LoadK          r6, K4=" to claim\n         500 bonus points on us.</p>\n      <p><a href=\"https://nestly.in/app\">Get the app</a></p>\n    "
     12  Filter         r3, |escape_html/1, r3
     13  Filter         r5, |escape_html/1, r5
     14  Concat         r2, r2, 5
     15  Send           r0, send 0, r1
     16  Take           0, @17 <node not_installed>
node not_installed:
     17  Enter          node not_installed    ; line 61:3
exit:
     18  Exit
node invite_sms:
     19  Enter          node invite_sms    ; line 34:5
     20  LoadK          r1, K5="Hi "
     21  Profile        r2, "first_name"
     22  LoadK          r3, K2="there"
     23  Filter         r2, |default/2, r2
     24  Filter         r2, |title/1, r2
     25  LoadK          r3, K6=", thanks for shopping at Nestly "
     26  Profile        r4, "home_store"
     27  LoadK          r5, K7=""
     28  Filter         r4, |default/2, r4
     29  LoadK          r5, K8="! Get the app within 7 days and we'll add 500 bonus points: https://nestly.in/app"
     30  Concat         r1, r1, 5
     31  LoadK          r2, K9="NESTLY"
     32  Send           r0, send 1, r1
     33  Take           0, @34 <node installed>
node installed:
     34  Enter          node installed    ; line 38:5
     35  AwaitEvent     r0, pred 1, 604800
     36  JumpIfFalse    r0, @38
     37  Take           1, @39 <node bonus>
     38  Take           0, @2 <node reminder_email>
node bonus:
     39  Enter          node bonus    ; line 39:5
     40  LoadK          r0, K10=500
     41  IncProp        r0, "loyalty_points"
     42  LoadK          r0, K11="pos_to_app"
     43  AddProp        r0, "acquisition_channels"
     44  Take           0, @45 <node welcome_push>
node welcome_push:
     45  Enter          node welcome_push    ; line 43:5
     46  LoadK          r1, K12="500 bonus points added"
     47  LoadK          r2, K13="Welcome to the app, "
     48  Profile        r3, "first_name"
     49  LoadK          r4, K14="friend"
     50  Filter         r3, |default/2, r3
     51  Filter         r3, |title/1, r3
     52  LoadK          r4, K15="! You now have "
     53  Profile        r5, "loyalty_points"
     54  LoadK          r6, K16=" points to spend."
     55  Concat         r2, r2, 5
     56  LoadK          r3, K17="nestly://loyalty"
     57  Send           r0, send 2, r1
     58  Take           0, @0 <end>
predicate 0:
     59  LoadK          r0, K18=true    ; line 29:9
     60  Return         r0
predicate 1:
     61  IsEvent        r0, "App Installed"    ; line 38:24
     62  Return         r0
