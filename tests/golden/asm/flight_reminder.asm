; journey "Day-of-travel reminders"
; hashes: structure 3f90834201b191c9 content 320971f204b5fb4d
; registers 13, 114 instructions, 36 constants, 73 strings
; start node departure_push
.predicate 0 @108 <predicate 0>
.send 0 node departure_push push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.send 1 node departure_sms sms fields [text, sender_id] statuses [sent, delivered, error, suppressed, clicked]
.send 2 node boarding_call push fields [title, body] statuses [sent, delivered, error, suppressed, viewed, clicked]
.send 3 node feedback email fields [subject, from, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.node 0 departure_push send [next -> boarding_wait, error -> departure_sms]
.node 1 departure_sms send [next -> boarding_wait]
.node 2 boarding_wait wait-until-property [next -> boarding_call]
.node 3 boarding_call send [next -> step1]
.node 4 step1 wait-until-property [next -> feedback]
.node 5 feedback send [next -> end]
end:
      0  End
exit:
      1  Exit
node departure_push:
      2  Enter          node departure_push    ; line 32:3
      3  Profile        r1, "flight_number"
      4  LoadK          r2, K0=" to "
      5  Profile        r3, "destination"
      6  LoadK          r4, K1=" departs at "
      7  Profile        r5, "flight_time"
      8  LoadK          r6, K2="%H:%M"
      9  Filter         r5, |date/2, r5
     10  Concat         r1, r1, 5
     11  LoadK          r2, K3="Gate "
     12  Profile        r3, "gate"
     13  LoadK          r4, K4="to be announced"
     14  Filter         r3, |default/2, r3
     15  LoadK          r4, K5=". Your boarding pass for PNR "
     16  Profile        r5, "pnr"
     17  Filter         r5, |upper/1, r5
     18  LoadK          r6, K6=" is in the app."
     19  Concat         r2, r2, 5
     20  LoadK          r3, K7="skyway://trips/"
     21  Profile        r4, "pnr"
     22  Filter         r4, |url_encode/1, r4
     23  LoadK          r5, K8="/boarding-pass"
     24  Concat         r3, r3, 3
     25  Send           r0, send 0, r1
     26  LoadK          r1, K9="suppressed"
     27  Eq             r2, r0, r1
     28  JumpIfFalse    r2, @30
     29  Take           1, @35 <node departure_sms>
     30  LoadK          r1, K10="error"
     31  Eq             r2, r0, r1
     32  JumpIfFalse    r2, @34
     33  Take           1, @35 <node departure_sms>
     34  Take           0, @57 <node boarding_wait>
node departure_sms:
     35  Enter          node departure_sms    ; line 38:3
     36  LoadK          r1, K11="SkyWay: "
     37  Profile        r2, "flight_number"
     38  LoadK          r3, K12=" "
     39  Profile        r4, "origin"
     40  LoadK          r5, K13="-"
     41  Profile        r6, "destination"
     42  LoadK          r7, K14=" departs "
     43  Profile        r8, "flight_time"
     44  LoadK          r9, K2="%H:%M"
     45  Filter         r8, |date/2, r8
     46  LoadK          r9, K15=", gate "
     47  Profile        r10, "gate"
     48  LoadK          r11, K16="TBA"
     49  Filter         r10, |default/2, r10
     50  LoadK          r11, K17=". Boarding pass: https://skyway.com/bp/"
     51  Profile        r12, "pnr"
     52  Filter         r12, |url_encode/1, r12
     53  Concat         r1, r1, 12
     54  LoadK          r2, K18="SKYWAY"
     55  Send           r0, send 1, r1
     56  Take           0, @57 <node boarding_wait>
node boarding_wait:
     57  Enter          node boarding_wait    ; line 44:5
     58  Profile        r0, "flight_time"
     59  LoadK          r1, K19=-1800s
     60  Add            r0, r0, r1
     61  WaitUntil      r0
     62  Take           0, @63 <node boarding_call>
node boarding_call:
     63  Enter          node boarding_call    ; line 45:5
     64  LoadK          r1, K20="Boarding starts now"
     65  Profile        r2, "flight_number"
     66  LoadK          r3, K21=" is boarding at gate "
     67  Profile        r4, "gate"
     68  LoadK          r5, K22="(see screens)"
     69  Filter         r4, |default/2, r4
     70  LoadK          r5, K23=". Have a great flight, "
     71  Profile        r6, "first_name"
     72  LoadK          r7, K24="traveller"
     73  Filter         r6, |default/2, r6
     74  Filter         r6, |title/1, r6
     75  LoadK          r7, K25="!"
     76  Concat         r2, r2, 6
     77  Send           r0, send 2, r1
     78  Take           0, @79 <node step1>
node step1:
     79  Enter          node step1    ; line 49:5
     80  Profile        r0, "flight_time"
     81  LoadK          r1, K26=14400s
     82  Add            r0, r0, r1
     83  WaitUntil      r0
     84  Take           0, @85 <node feedback>
node feedback:
     85  Enter          node feedback    ; line 50:5
     86  LoadK          r1, K27="How was your flight to "
     87  Profile        r2, "destination"
     88  LoadK          r3, K28="?"
     89  Concat         r1, r1, 3
     90  LoadK          r2, K29="SkyWay <care@skyway.com>"
     91  LoadK          r3, K30="\n        <p>Hi "
     92  Profile        r4, "first_name"
     93  LoadK          r5, K31="there"
     94  Filter         r4, |default/2, r4
     95  Filter         r4, |title/1, r4
     96  LoadK          r5, K32=",</p>\n        <p>We hope you enjoyed flight "
     97  Profile        r6, "flight_number"
     98  LoadK          r7, K33=". Tell us how we did in\n           two quick questions: <a href=\"https://skyway.com/feedback/"
     99  Profile        r8, "pnr"
    100  Filter         r8, |url_encode/1, r8
    101  LoadK          r9, K34="\">rate your trip</a>.</p>\n      "
    102  Filter         r4, |escape_html/1, r4
    103  Filter         r6, |escape_html/1, r6
    104  Filter         r8, |escape_html/1, r8
    105  Concat         r3, r3, 7
    106  Send           r0, send 3, r1
    107  Take           0, @0 <end>
predicate 0:
    108  Profile        r0, "flight_time"    ; line 24:9
    109  LoadK          r1, K35=-7200s
    110  Add            r0, r0, r1
    111  Now            r2
    112  Ge             r0, r2, r0
    113  Return         r0
