; journey "Pricing page follow-up"
; hashes: structure 5307b50c959b080b content f0790b035156b8c8
; registers 10, 80 instructions, 22 constants, 62 strings
; start node step1
.predicate 0 @63 <predicate 0> on "Page Visited"
.predicate 1 @76 <predicate 1> on "Subscription Started"
.predicate 2 @78 <predicate 2> on "Demo Booked"
.send 0 node nurture_email email fields [subject, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.send 1 node pricing_email email fields [subject, from, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.send 2 node hot_lead webhook fields [url, method, headers, body] statuses [sent, error, suppressed]
.node 0 nurture_email send [next -> end]
.node 1 step1 wait [next -> pricing_email]
.node 2 pricing_email send [next -> booked]
.node 3 booked segment window 259200s [timeout -> nurture_email, yes -> hot_lead]
.node 4 hot_lead send [next -> end]
end:
      0  End
exit:
      1  Exit
node nurture_email:
      2  Enter          node nurture_email    ; line 58:3
      3  LoadK          r1, K0="How teams like "
      4  Profile        r2, "company"
      5  LoadK          r3, K1="yours"
      6  Filter         r2, |default/2, r2
      7  LoadK          r3, K2=" choose a plan"
      8  Concat         r1, r1, 3
      9  LoadK          r2, K3="\n      <p>Three customers share how they picked the right Loomly plan, and what\n         they would do differently.</p>\n      <p><a href=\"https://loomly.io/customers/choosing-a-plan\">Read the stories</a></p>\n    "
     10  Send           r0, send 0, r1
     11  Take           0, @0 <end>
node step1:
     12  Enter          node step1    ; line 37:5
     13  LoadK          r0, K4=1800s
     14  WaitFor        r0
     15  Take           0, @16 <node pricing_email>
node pricing_email:
     16  Enter          node pricing_email    ; line 38:5
     17  LoadK          r1, K5="Questions about "
     18  EntryProp      r2, "title"
     19  LoadK          r3, K6="our plans"
     20  Filter         r2, |default/2, r2
     21  LoadK          r3, K7="?"
     22  Concat         r1, r1, 3
     23  LoadK          r2, K8="Dana from Loomly <dana@loomly.io>"
     24  LoadK          r3, K9="\n        <p>Hi "
     25  Profile        r4, "first_name"
     26  LoadK          r5, K10="there"
     27  Filter         r4, |default/2, r4
     28  Filter         r4, |title/1, r4
     29  LoadK          r5, K11=",</p>\n        <p>I saw you were comparing plans on <a href=\""
     30  EntryProp      r6, "url"
     31  LoadK          r7, K12="\">our pricing page</a>.\n           Most teams the size of "
     32  Profile        r8, "company"
     33  LoadK          r9, K1="yours"
     34  Filter         r8, |default/2, r8
     35  LoadK          r9, K13=" start on Team and\n           upgrade later. Want a 20-minute walkthrough?</p>\n        <p><a href=\"https://loomly.io/demo\">Pick a time that suits you</a></p>\n      "
     36  Filter         r4, |escape_html/1, r4
     37  Filter         r6, |escape_html/1, r6
     38  Filter         r8, |escape_html/1, r8
     39  Concat         r3, r3, 7
     40  Send           r0, send 1, r1
     41  Take           0, @42 <node booked>
node booked:
     42  Enter          node booked    ; line 49:5
     43  AwaitEvent     r0, pred 2, 259200
     44  JumpIfFalse    r0, @46
     45  Take           1, @47 <node hot_lead>
     46  Take           0, @2 <node nurture_email>
node hot_lead:
     47  Enter          node hot_lead    ; line 50:5
     48  LoadK          r1, K14="https://crm.loomly.io/api/leads"
     49  LoadK          r2, K15="POST"
     50  MapNew         r3
     51  LoadK          r4, K16="application/json"
     52  MapSet         r3, r4, "Content-Type"
     53  LoadK          r4, K17="{\"user_id\": "
     54  Profile        r5, "user_id"
     55  Filter         r5, |json/1, r5
     56  LoadK          r6, K18=", \"company\": "
     57  Profile        r7, "company"
     58  Filter         r7, |json/1, r7
     59  LoadK          r8, K19=", \"source\": \"pricing_page\", \"priority\": \"high\"}"
     60  Concat         r4, r4, 5
     61  Send           r0, send 2, r1
     62  Take           0, @0 <end>
predicate 0:
     63  IsEvent        r0, "Page Visited"    ; line 30:9
     64  JumpIfFalse    r0, @75
     65  EventProp      r1, "path"
     66  LoadK          r2, K20="/pricing"
     67  StartsWith     r1, r1, r2
     68  JumpIfFalse    r1, @74
     69  EventProp      r2, "path"
     70  LoadK          r3, K21="/pricing/enterprise"
     71  Contains       r2, r2, r3
     72  Not            r2, r2
     73  Move           r1, r2
     74  Move           r0, r1
     75  Return         r0
predicate 1:
     76  IsEvent        r0, "Subscription Started"    ; line 33:20
     77  Return         r0
predicate 2:
     78  IsEvent        r0, "Demo Booked"    ; line 49:21
     79  Return         r0
