; journey "Pricing page follow-up"
; hashes: structure 95fdaeb792187b7e content 5ac5ef041e619b81
; registers 10, 101 instructions, 32 constants, 80 strings
; start node demo_popup
.predicate 0 @84 <predicate 0> on "Page Visited"
.predicate 1 @97 <predicate 1> on "Subscription Started"
.predicate 2 @99 <predicate 2> on "Demo Booked"
.send 0 node nurture_email email fields [subject, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.send 1 node last_offer exit_intent fields [title, body, button, url, coupon] statuses [sent, error, suppressed, viewed, clicked, dismissed]
.send 2 node demo_popup web_popup fields [title, body, button, url, position] statuses [sent, error, suppressed, viewed, clicked, dismissed]
.send 3 node pricing_email email fields [subject, from, html] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.send 4 node hot_lead webhook fields [url, method, headers, body] statuses [sent, error, suppressed]
.node 0 nurture_email send [next -> last_offer]
.node 1 last_offer send [next -> end]
.node 2 demo_popup send [next -> step1]
.node 3 step1 wait [next -> pricing_email]
.node 4 pricing_email send [next -> booked]
.node 5 booked segment window 259200s [timeout -> nurture_email, yes -> hot_lead]
.node 6 hot_lead send [next -> end]
end:
      0  End
exit:
      1  Exit
node nurture_email:
      2  Enter          node nurture_email    ; line 69:3
      3  LoadK          r1, K0="How teams like "
      4  Profile        r2, "company"
      5  LoadK          r3, K1="yours"
      6  Filter         r2, |default/2, r2
      7  LoadK          r3, K2=" choose a plan"
      8  Concat         r1, r1, 3
      9  LoadK          r2, K3="\n      <p>Three customers share how they picked the right Loomly plan, and what\n         they would do differently.</p>\n      <p><a href=\"https://loomly.io/customers/choosing-a-plan\">Read the stories</a></p>\n    "
     10  Send           r0, send 0, r1
     11  Take           0, @12 <node last_offer>
node last_offer:
     12  Enter          node last_offer    ; line 78:3
     13  LoadK          r1, K4="Before you go: 20% off your first year"
     14  LoadK          r2, K5="Start a Team plan this week with code LOOMLY20."
     15  LoadK          r3, K6="Claim the offer"
     16  LoadK          r4, K7="https://loomly.io/pricing?coupon=LOOMLY20"
     17  LoadK          r5, K8="LOOMLY20"
     18  Send           r0, send 1, r1
     19  Take           0, @0 <end>
node demo_popup:
     20  Enter          node demo_popup    ; line 41:5
     21  LoadK          r1, K9="Want a walkthrough of "
     22  EntryProp      r2, "title"
     23  LoadK          r3, K10="our plans"
     24  Filter         r2, |default/2, r2
     25  LoadK          r3, K11="?"
     26  Concat         r1, r1, 3
     27  LoadK          r2, K12="A 20-minute call with our team, at a time that suits you."
     28  LoadK          r3, K13="Book a demo"
     29  LoadK          r4, K14="https://loomly.io/demo"
     30  LoadK          r5, K15="corner"
     31  Send           r0, send 2, r1
     32  Take           0, @33 <node step1>
node step1:
     33  Enter          node step1    ; line 48:5
     34  LoadK          r0, K16=1800s
     35  WaitFor        r0
     36  Take           0, @37 <node pricing_email>
node pricing_email:
     37  Enter          node pricing_email    ; line 49:5
     38  LoadK          r1, K17="Questions about "
     39  EntryProp      r2, "title"
     40  LoadK          r3, K10="our plans"
     41  Filter         r2, |default/2, r2
     42  LoadK          r3, K11="?"
     43  Concat         r1, r1, 3
     44  LoadK          r2, K18="Dana from Loomly <dana@loomly.io>"
     45  LoadK          r3, K19="\n        <p>Hi "
     46  Profile        r4, "first_name"
     47  LoadK          r5, K20="there"
     48  Filter         r4, |default/2, r4
     49  Filter         r4, |title/1, r4
     50  LoadK          r5, K21=",</p>\n        <p>I saw you were comparing plans on <a href=\""
     51  EntryProp      r6, "url"
     52  LoadK          r7, K22="\">our pricing page</a>.\n           Most teams the size of "
     53  Profile        r8, "company"
     54  LoadK          r9, K1="yours"
     55  Filter         r8, |default/2, r8
     56  LoadK          r9, K23=" start on Team and\n           upgrade later. Want a 20-minute walkthrough?</p>\n        <p><a href=\"https://loomly.io/demo\">Pick a time that suits you</a></p>\n      "
     57  Filter         r4, |escape_html/1, r4
     58  Filter         r6, |escape_html/1, r6
     59  Filter         r8, |escape_html/1, r8
     60  Concat         r3, r3, 7
     61  Send           r0, send 3, r1
     62  Take           0, @63 <node booked>
node booked:
     63  Enter          node booked    ; line 60:5
     64  AwaitEvent     r0, pred 2, 259200
     65  JumpIfFalse    r0, @67
     66  Take           1, @68 <node hot_lead>
     67  Take           0, @2 <node nurture_email>
node hot_lead:
     68  Enter          node hot_lead    ; line 61:5
     69  LoadK          r1, K24="https://crm.loomly.io/api/leads"
     70  LoadK          r2, K25="POST"
     71  MapNew         r3
     72  LoadK          r4, K26="application/json"
     73  MapSet         r3, r4, "Content-Type"
     74  LoadK          r4, K27="{\"user_id\": "
     75  Profile        r5, "user_id"
     76  Filter         r5, |json/1, r5
     77  LoadK          r6, K28=", \"company\": "
     78  Profile        r7, "company"
     79  Filter         r7, |json/1, r7
     80  LoadK          r8, K29=", \"source\": \"pricing_page\", \"priority\": \"high\"}"
     81  Concat         r4, r4, 5
     82  Send           r0, send 4, r1
     83  Take           0, @0 <end>
predicate 0:
     84  IsEvent        r0, "Page Visited"    ; line 33:9
     85  JumpIfFalse    r0, @96
     86  EventProp      r1, "path"
     87  LoadK          r2, K30="/pricing"
     88  StartsWith     r1, r1, r2
     89  JumpIfFalse    r1, @95
     90  EventProp      r2, "path"
     91  LoadK          r3, K31="/pricing/enterprise"
     92  Contains       r2, r2, r3
     93  Not            r2, r2
     94  Move           r1, r2
     95  Move           r0, r1
     96  Return         r0
predicate 1:
     97  IsEvent        r0, "Subscription Started"    ; line 36:20
     98  Return         r0
predicate 2:
     99  IsEvent        r0, "Demo Booked"    ; line 60:21
    100  Return         r0
