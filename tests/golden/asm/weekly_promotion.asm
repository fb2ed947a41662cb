; journey "Big Week sale"
; hashes: structure f4afeeef871269ee content 4147be22941a0336
; registers 9, 106 instructions, 27 constants, 84 strings
; start node catalogue
.predicate 0 @97 <predicate 0>
.predicate 1 @99 <predicate 1> on "Charged"
.aggregate 0 "Charged" exists >= 1 in last 15552000s
.send 0 node countdown_push push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.send 1 node final_sms sms fields [text, sender_id] statuses [sent, delivered, error, suppressed, clicked]
.send 2 node sales_dashboard webhook fields [url, method, headers, body, timeout] statuses [sent, error, suppressed]
.send 3 node catalogue email fields [subject, from, template, vars] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.send 4 node coupon whatsapp fields [template, vars] statuses [sent, delivered, error, suppressed, read, replied, clicked]
.node 0 countdown wait-until-time [next -> countdown_push]
.node 1 countdown_push send [next -> tick]
.node 2 tick update [next -> more_days]
.node 3 more_days segment [yes -> countdown, no -> final_day]
.node 4 final_day wait-until-time [next -> final_sms]
.node 5 final_sms send [next -> sales_dashboard]
.node 6 sales_dashboard send [next -> end]
.node 7 catalogue send [next -> step1]
.node 8 step1 wait [next -> coupon]
.node 9 coupon send [next -> start_countdown]
.node 10 start_countdown update [next -> countdown]
end:
      0  End
exit:
      1  Exit
node countdown:
      2  Enter          node countdown    ; line 59:3
      3  WaitUntilTime  1140, 127
      4  Take           0, @5 <node countdown_push>
node countdown_push:
      5  Enter          node countdown_push    ; line 61:3
      6  Profile        r1, "promo_days_left"
      7  LoadK          r2, K0=" days to go"
      8  Concat         r1, r1, 2
      9  LoadK          r2, K1="20% off everything with BIGWEEK20. Your "
     10  Profile        r3, "favourite_category"
     11  LoadK          r4, K2="favourites"
     12  Filter         r3, |default/2, r3
     13  Filter         r3, |lower/1, r3
     14  LoadK          r4, K3=" won't stay this price for long."
     15  Concat         r2, r2, 3
     16  LoadK          r3, K4="nestly://sale/big-week"
     17  Send           r0, send 0, r1
     18  Take           0, @19 <node tick>
node tick:
     19  Enter          node tick    ; line 67:3
     20  LoadK          r0, K5=1
     21  DecProp        r0, "promo_days_left"
     22  Take           0, @23 <node more_days>
node more_days:
     23  Enter          node more_days    ; line 69:3
     24  Profile        r1, "promo_days_left"
     25  LoadK          r2, K5=1
     26  Gt             r1, r1, r2
     27  JumpIfFalse    r1, @29
     28  Take           0, @2 <node countdown>
     29  Take           1, @30 <node final_day>
node final_day:
     30  Enter          node final_day    ; line 71:3
     31  WaitUntilTime  600, 127
     32  Take           0, @33 <node final_sms>
node final_sms:
     33  Enter          node final_sms    ; line 73:3
     34  LoadK          r1, K6="Nestly Big Week ends TONIGHT. 20% off everything with code BIGWEEK20. Shop now: https://nestly.in/bigweek"
     35  LoadK          r2, K7="NESTLY"
     36  Send           r0, send 1, r1
     37  Take           0, @38 <node sales_dashboard>
node sales_dashboard:
     38  Enter          node sales_dashboard    ; line 80:3
     39  LoadK          r1, K8="https://sales.nestly.in/api/campaigns/big-week-2026/leads"
     40  LoadK          r2, K9="POST"
     41  MapNew         r3
     42  LoadK          r4, K10="application/json"
     43  MapSet         r3, r4, "Content-Type"
     44  LoadK          r4, K11="journeys-big-week"
     45  MapSet         r3, r4, "X-Api-Key"
     46  LoadK          r4, K12="{\"user_id\": "
     47  Profile        r5, "user_id"
     48  Filter         r5, |json/1, r5
     49  LoadK          r6, K13=", \"email\": "
     50  Profile        r7, "email"
     51  Filter         r7, |json/1, r7
     52  LoadK          r8, K14=", \"converted\": false}"
     53  Concat         r4, r4, 5
     54  LoadK          r5, K15=15s
     55  Send           r0, send 2, r1
     56  Take           0, @0 <end>
node catalogue:
     57  Enter          node catalogue    ; line 41:5
     58  LoadK          r1, K16="The Big Week sale starts now: 20% off everything, "
     59  Profile        r2, "first_name"
     60  LoadK          r3, K17="friend"
     61  Filter         r2, |default/2, r2
     62  Filter         r2, |title/1, r2
     63  Concat         r1, r1, 2
     64  LoadK          r2, K18="Nestly <offers@nestly.in>"
     65  LoadK          r3, K19="big_week_catalogue_2026"
     66  MapNew         r4
     67  Profile        r5, "first_name"
     68  LoadK          r6, K20="there"
     69  Filter         r5, |default/2, r5
     70  Filter         r5, |title/1, r5
     71  Concat         r5, r5, 1
     72  MapSet         r4, r5, "first_name"
     73  Profile        r5, "favourite_category"
     74  LoadK          r6, K21="bestsellers"
     75  Filter         r5, |default/2, r5
     76  Concat         r5, r5, 1
     77  MapSet         r4, r5, "hero_category"
     78  Send           r0, send 3, r1
     79  Take           0, @80 <node step1>
node step1:
     80  Enter          node step1    ; line 50:5
     81  LoadK          r0, K22=86400s
     82  WaitFor        r0
     83  Take           0, @84 <node coupon>
node coupon:
     84  Enter          node coupon    ; line 51:5
     85  LoadK          r1, K23="big_week_coupon"
     86  MapNew         r2
     87  LoadK          r3, K24="BIGWEEK20"
     88  MapSet         r2, r3, "code"
     89  LoadK          r3, K25="Sunday midnight"
     90  MapSet         r2, r3, "valid_until"
     91  Send           r0, send 4, r1
     92  Take           0, @93 <node start_countdown>
node start_countdown:
     93  Enter          node start_countdown    ; line 55:5
     94  LoadK          r0, K26=6
     95  SetProp        r0, "promo_days_left"
     96  Take           0, @2 <node countdown>
predicate 0:
     97  History        r0, agg 0    ; line 34:9
     98  Return         r0
predicate 1:
     99  IsEvent        r0, "Charged"    ; line 36:21
    100  JumpIfFalse    r0, @105
    101  EventProp      r1, "coupon_code"
    102  LoadK          r2, K24="BIGWEEK20"
    103  Eq             r1, r1, r2
    104  Move           r0, r1
    105  Return         r0
