; journey "Help heavy browsers choose"
; hashes: structure b929feb21a406795 content 8b6229d7b8b002d9
; registers 9, 48 instructions, 13 constants, 40 strings
; start node help_offer
.predicate 0 @34 <predicate 0> on "Page Visited"
.predicate 1 @44 <predicate 1>
.aggregate 0 "Page Visited" count >= 5 in last 1800s where pred 1
.send 0 node help_offer in_app fields [title, body, button, deep_link] statuses [sent, error, suppressed, viewed, clicked, dismissed]
.send 1 node chat_handoff webhook fields [url, method, headers, body] statuses [sent, error, suppressed]
.node 0 help_offer send window 1800s [clicked -> chat_handoff, dismissed -> end, timeout -> end]
.node 1 chat_handoff send [next -> end]
end:
      0  End
exit:
      1  Exit
node help_offer:
      2  Enter          node help_offer    ; line 24:3
      3  LoadK          r1, K0="Need a hand choosing?"
      4  LoadK          r2, K1="Our product experts can compare options with you on live chat. No bots, promise."
      5  LoadK          r3, K2="Chat with an expert"
      6  LoadK          r4, K3="nestly://support/live-chat"
      7  Send           r0, send 0, r1
      8  AwaitStatus    r0, 0x30, 1800
      9  LoadK          r1, K4="clicked"
     10  Eq             r2, r0, r1
     11  JumpIfFalse    r2, @13
     12  Take           0, @18 <node chat_handoff>
     13  LoadK          r1, K5="dismissed"
     14  Eq             r2, r0, r1
     15  JumpIfFalse    r2, @17
     16  Take           1, @0 <end>
     17  Take           2, @0 <end>
node chat_handoff:
     18  Enter          node chat_handoff    ; line 31:3
     19  LoadK          r1, K6="https://support.nestly.in/api/chat/queue"
     20  LoadK          r2, K7="POST"
     21  MapNew         r3
     22  LoadK          r4, K8="application/json"
     23  MapSet         r3, r4, "Content-Type"
     24  LoadK          r4, K9="{\"user_id\": "
     25  Profile        r5, "user_id"
     26  Filter         r5, |json/1, r5
     27  LoadK          r6, K10=", \"name\": "
     28  Profile        r7, "first_name"
     29  Filter         r7, |json/1, r7
     30  LoadK          r8, K11=", \"reason\": \"heavy_browsing\"}"
     31  Concat         r4, r4, 5
     32  Send           r0, send 1, r1
     33  Take           0, @0 <end>
predicate 0:
     34  IsEvent        r0, "Page Visited"    ; line 17:9
     35  JumpIfFalse    r0, @43
     36  EventProp      r1, "path"
     37  LoadK          r2, K12="/p/"
     38  StartsWith     r1, r1, r2
     39  Move           r0, r1
     40  JumpIfFalse    r0, @43
     41  History        r1, agg 0
     42  Move           r0, r1
     43  Return         r0
predicate 1:
     44  EventProp      r0, "path"
     45  LoadK          r1, K12="/p/"
     46  StartsWith     r0, r0, r1
     47  Return         r0
