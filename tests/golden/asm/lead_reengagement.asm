; journey "Lead re-engagement"
; hashes: structure 68c5b82e2f341d08 content ebd5597e061534d0
; registers 9, 100 instructions, 26 constants, 68 strings
; start node updates_email
.predicate 0 @92 <predicate 0>
.predicate 1 @98 <predicate 1> on "Session Started"
.aggregate 0 "Session Started" exists >= 1 in last 15552000s
.aggregate 1 "Session Started" exists >= 1 in last 2592000s
.send 0 node testimonial whatsapp fields [template, vars] statuses [sent, delivered, error, suppressed, read, replied, clicked]
.send 1 node release_push push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.send 2 node release_push_unread push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.send 3 node audience_sync webhook fields [url, method, headers, body, timeout] statuses [sent, error, suppressed]
.send 4 node updates_email email fields [subject, from, reply_to, template, vars] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.node 0 testimonial send window 172800s [read -> release_push, timeout -> release_push_unread, error -> release_push_unread]
.node 1 release_push send window 172800s [clicked -> end, timeout -> audience_sync]
.node 2 release_push_unread send [next -> end]
.node 3 audience_sync send [next -> end]
.node 4 updates_email send [next -> step1]
.node 5 step1 wait [next -> testimonial]
end:
      0  End
exit:
      1  Exit
node testimonial:
      2  Enter          node testimonial    ; line 50:3
      3  LoadK          r1, K0="customer_story_by_industry"
      4  MapNew         r2
      5  Profile        r3, "first_name"
      6  LoadK          r4, K1="there"
      7  Filter         r3, |default/2, r3
      8  Filter         r3, |title/1, r3
      9  Concat         r3, r3, 1
     10  MapSet         r2, r3, "first_name"
     11  Profile        r3, "industry"
     12  LoadK          r4, K2="teams like yours"
     13  Filter         r3, |default/2, r3
     14  Filter         r3, |lower/1, r3
     15  Concat         r3, r3, 1
     16  MapSet         r2, r3, "industry"
     17  Send           r0, send 0, r1
     18  LoadK          r1, K3="suppressed"
     19  Eq             r2, r0, r1
     20  JumpIfFalse    r2, @22
     21  Take           2, @47 <node release_push_unread>
     22  LoadK          r1, K4="error"
     23  Eq             r2, r0, r1
     24  JumpIfFalse    r2, @26
     25  Take           2, @47 <node release_push_unread>
     26  AwaitStatus    r0, 0x14, 172800
     27  LoadK          r1, K4="error"
     28  Eq             r2, r0, r1
     29  JumpIfFalse    r2, @31
     30  Take           2, @47 <node release_push_unread>
     31  LoadK          r1, K5="read"
     32  Eq             r2, r0, r1
     33  JumpIfFalse    r2, @35
     34  Take           0, @36 <node release_push>
     35  Take           1, @47 <node release_push_unread>
node release_push:
     36  Enter          node release_push    ; line 58:3
     37  LoadK          r1, K6="Loomly 5.0 lands next week"
     38  LoadK          r2, K7="Automated reports, a brand-new editor and 2x faster sync. Be first to try it."
     39  LoadK          r3, K8="loomly://whats-new/5.0"
     40  Send           r0, send 1, r1
     41  AwaitStatus    r0, 0x20, 172800
     42  LoadK          r1, K9="clicked"
     43  Eq             r2, r0, r1
     44  JumpIfFalse    r2, @46
     45  Take           0, @0 <end>
     46  Take           1, @53 <node audience_sync>
node release_push_unread:
     47  Enter          node release_push_unread    ; line 64:3
     48  LoadK          r1, K10="Something big is coming to Loomly"
     49  LoadK          r2, K11="Version 5.0 ships next week. Open the app to get early access."
     50  LoadK          r3, K8="loomly://whats-new/5.0"
     51  Send           r0, send 2, r1
     52  Take           0, @0 <end>
node audience_sync:
     53  Enter          node audience_sync    ; line 71:3
     54  LoadK          r1, K12="https://ads-sync.loomly.io/v1/audiences/warm-leads-no-click/members"
     55  LoadK          r2, K13="POST"
     56  MapNew         r3
     57  LoadK          r4, K14="application/json"
     58  MapSet         r3, r4, "Content-Type"
     59  LoadK          r4, K15="{\"user_id\": "
     60  Profile        r5, "user_id"
     61  Filter         r5, |json/1, r5
     62  LoadK          r6, K16=", \"email\": "
     63  Profile        r7, "email"
     64  Filter         r7, |json/1, r7
     65  LoadK          r8, K17=", \"source\": \"lead_reengagement\"}"
     66  Concat         r4, r4, 5
     67  LoadK          r5, K18=20s
     68  Send           r0, send 3, r1
     69  Take           0, @0 <end>
node updates_email:
     70  Enter          node updates_email    ; line 40:5
     71  Profile        r1, "first_name"
     72  LoadK          r2, K19="Hi"
     73  Filter         r1, |default/2, r1
     74  Filter         r1, |title/1, r1
     75  LoadK          r2, K20=", here's what's new since you last logged in"
     76  Concat         r1, r1, 2
     77  LoadK          r2, K21="Priya at Loomly <priya@loomly.io>"
     78  LoadK          r3, K22="success@loomly.io"
     79  LoadK          r4, K23="reengagement_whats_new_q4"
     80  MapNew         r5
     81  Profile        r6, "company"
     82  LoadK          r7, K24="your team"
     83  Filter         r6, |default/2, r6
     84  Concat         r6, r6, 1
     85  MapSet         r5, r6, "company"
     86  Send           r0, send 4, r1
     87  Take           0, @88 <node step1>
node step1:
     88  Enter          node step1    ; line 47:5
     89  LoadK          r0, K25=172800s
     90  WaitFor        r0
     91  Take           0, @2 <node testimonial>
predicate 0:
     92  History        r0, agg 0    ; line 32:9
     93  JumpIfFalse    r0, @97
     94  History        r1, agg 1
     95  Not            r1, r1
     96  Move           r0, r1
     97  Return         r0
predicate 1:
     98  IsEvent        r0, "Session Started"    ; line 35:19
     99  Return         r0
