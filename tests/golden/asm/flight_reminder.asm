; journey "Day-of-travel reminders"
; hashes: structure 3f90834201b191c9 content 320971f204b5fb4d
; registers 13, 119 instructions, 36 constants, 74 strings
; start node departure_push
.predicate 0 @112 <predicate 0>
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
      2  Enter          node departure_push    ; line 34:3
      3  Profile        r1, "flight_number"
      4  LoadK          r2, K0=" to "
      5  Profile        r3, "destination"
      6  LoadK          r4, K1=" departs at "
      7  Profile        r5, "flight_time"
      8  Call           r5, to_time/1, r5
      9  LoadK          r6, K2="%H:%M"
     10  Filter         r5, |date/2, r5
     11  Concat         r1, r1, 5
     12  LoadK          r2, K3="Gate "
     13  Profile        r3, "gate"
     14  LoadK          r4, K4="to be announced"
     15  Filter         r3, |default/2, r3
     16  LoadK          r4, K5=". Your boarding pass for PNR "
     17  Profile        r5, "pnr"
     18  Filter         r5, |upper/1, r5
     19  LoadK          r6, K6=" is in the app."
     20  Concat         r2, r2, 5
     21  LoadK          r3, K7="skyway://trips/"
     22  Profile        r4, "pnr"
     23  Filter         r4, |url_encode/1, r4
     24  LoadK          r5, K8="/boarding-pass"
     25  Concat         r3, r3, 3
     26  Send           r0, send 0, r1
     27  LoadK          r1, K9="suppressed"
     28  Eq             r2, r0, r1
     29  JumpIfFalse    r2, @31
     30  Take           1, @36 <node departure_sms>
     31  LoadK          r1, K10="error"
     32  Eq             r2, r0, r1
     33  JumpIfFalse    r2, @35
     34  Take           1, @36 <node departure_sms>
     35  Take           0, @59 <node boarding_wait>
node departure_sms:
     36  Enter          node departure_sms    ; line 40:3
     37  LoadK          r1, K11="SkyWay: "
     38  Profile        r2, "flight_number"
     39  LoadK          r3, K12=" "
     40  Profile        r4, "origin"
     41  LoadK          r5, K13="-"
     42  Profile        r6, "destination"
     43  LoadK          r7, K14=" departs "
     44  Profile        r8, "flight_time"
     45  Call           r8, to_time/1, r8
     46  LoadK          r9, K2="%H:%M"
     47  Filter         r8, |date/2, r8
     48  LoadK          r9, K15=", gate "
     49  Profile        r10, "gate"
     50  LoadK          r11, K16="TBA"
     51  Filter         r10, |default/2, r10
     52  LoadK          r11, K17=". Boarding pass: https://skyway.com/bp/"
     53  Profile        r12, "pnr"
     54  Filter         r12, |url_encode/1, r12
     55  Concat         r1, r1, 12
     56  LoadK          r2, K18="SKYWAY"
     57  Send           r0, send 1, r1
     58  Take           0, @59 <node boarding_wait>
node boarding_wait:
     59  Enter          node boarding_wait    ; line 46:5
     60  Profile        r0, "flight_time"
     61  Call           r0, to_time/1, r0
     62  LoadK          r1, K19=-1800s
     63  Add            r0, r0, r1
     64  WaitUntil      r0
     65  Take           0, @66 <node boarding_call>
node boarding_call:
     66  Enter          node boarding_call    ; line 47:5
     67  LoadK          r1, K20="Boarding starts now"
     68  Profile        r2, "flight_number"
     69  LoadK          r3, K21=" is boarding at gate "
     70  Profile        r4, "gate"
     71  LoadK          r5, K22="(see screens)"
     72  Filter         r4, |default/2, r4
     73  LoadK          r5, K23=". Have a great flight, "
     74  Profile        r6, "first_name"
     75  LoadK          r7, K24="traveller"
     76  Filter         r6, |default/2, r6
     77  Filter         r6, |title/1, r6
     78  LoadK          r7, K25="!"
     79  Concat         r2, r2, 6
     80  Send           r0, send 2, r1
     81  Take           0, @82 <node step1>
node step1:
     82  Enter          node step1    ; line 51:5
     83  Profile        r0, "flight_time"
     84  Call           r0, to_time/1, r0
     85  LoadK          r1, K26=14400s
     86  Add            r0, r0, r1
     87  WaitUntil      r0
     88  Take           0, @89 <node feedback>
node feedback:
     89  Enter          node feedback    ; line 52:5
     90  LoadK          r1, K27="How was your flight to "
     91  Profile        r2, "destination"
     92  LoadK          r3, K28="?"
     93  Concat         r1, r1, 3
     94  LoadK          r2, K29="SkyWay <care@skyway.com>"
     95  LoadK          r3, K30="\n        <p>Hi "
     96  Profile        r4, "first_name"
     97  LoadK          r5, K31="there"
     98  Filter         r4, |default/2, r4
     99  Filter         r4, |title/1, r4
    100  LoadK          r5, K32=",</p>\n        <p>We hope you enjoyed flight "
    101  Profile        r6, "flight_number"
    102  LoadK          r7, K33=". Tell us how we did in\n           two quick questions: <a href=\"https://skyway.com/feedback/"
    103  Profile        r8, "pnr"
    104  Filter         r8, |url_encode/1, r8
    105  LoadK          r9, K34="\">rate your trip</a>.</p>\n      "
    106  Filter         r4, |escape_html/1, r4
    107  Filter         r6, |escape_html/1, r6
    108  Filter         r8, |escape_html/1, r8
    109  Concat         r3, r3, 7
    110  Send           r0, send 3, r1
    111  Take           0, @0 <end>
predicate 0:
    112  Profile        r0, "flight_time"    ; line 26:9
    113  Call           r0, to_time/1, r0
    114  LoadK          r1, K35=-7200s
    115  Add            r0, r0, r1
    116  Now            r2
    117  Ge             r0, r2, r0
    118  Return         r0
