; journey "Platinum after 10 rides"
; hashes: structure dbc3835ce1855d00 content 535a362b0ff883e5
; registers 4, 44 instructions, 11 constants, 36 strings
; start node count_ride
.predicate 0 @42 <predicate 0> on "Ride Completed"
.send 0 node congratulate push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.node 0 count_ride update [next -> reached_ten]
.node 1 reached_ten segment [no -> end, yes -> upgrade]
.node 2 upgrade update [next -> congratulate]
.node 3 congratulate send [next -> end]
end:
      0  End
exit:
      1  Exit
node count_ride:
      2  Enter          node count_ride    ; line 31:5
      3  LoadK          r0, K0=1
      4  IncProp        r0, "ride_count"
      5  Take           0, @6 <node reached_ten>
node reached_ten:
      6  Enter          node reached_ten    ; line 33:5
      7  Profile        r1, "ride_count"
      8  LoadK          r2, K1=10
      9  Ge             r1, r1, r2
     10  JumpIfFalse    r1, @15
     11  Profile        r2, "tier"
     12  LoadK          r3, K2="platinum"
     13  Ne             r2, r2, r3
     14  Move           r1, r2
     15  JumpIfFalse    r1, @17
     16  Take           1, @18 <node upgrade>
     17  Take           0, @0 <end>
node upgrade:
     18  Enter          node upgrade    ; line 34:5
     19  LoadK          r0, K2="platinum"
     20  SetProp        r0, "tier"
     21  LoadK          r0, K3="priority_pickup"
     22  AddProp        r0, "perks"
     23  LoadK          r0, K4="free_cancellation"
     24  AddProp        r0, "perks"
     25  LoadK          r0, K5="intro_discount"
     26  RemoveProp     r0, "perks"
     27  Take           0, @28 <node congratulate>
node congratulate:
     28  Enter          node congratulate    ; line 40:5
     29  LoadK          r1, K6="Welcome to Platinum, "
     30  Profile        r2, "first_name"
     31  LoadK          r3, K7="rider"
     32  Filter         r2, |default/2, r2
     33  Filter         r2, |title/1, r2
     34  LoadK          r3, K8="!"
     35  Concat         r1, r1, 3
     36  Profile        r2, "ride_count"
     37  LoadK          r3, K9=" rides and counting. Enjoy priority pickups and free cancellations from today."
     38  Concat         r2, r2, 2
     39  LoadK          r3, K10="zipride://membership/platinum"
     40  Send           r0, send 0, r1
     41  Take           0, @0 <end>
predicate 0:
     42  IsEvent        r0, "Ride Completed"    ; line 27:9
     43  Return         r0
