; journey "Multi-channel onboarding"
; hashes: structure 77a78a52be05aebb content 4d2fc01540cebf2e
; registers 8, 87 instructions, 28 constants, 81 strings
; start node welcome
.predicate 0 @85 <predicate 0> on "Signed Up"
.send 0 node welcome whatsapp fields [template, language, vars] statuses [sent, delivered, error, suppressed, read, replied, clicked]
.send 1 node guide email fields [subject, from, reply_to, attachment, html, text] statuses [sent, delivered, bounced, error, suppressed, viewed, clicked]
.send 2 node complete_profile push fields [title, body, deep_link] statuses [sent, delivered, error, suppressed, viewed, clicked]
.send 3 node mark_onboarded webhook fields [url, method, headers, body, timeout, retry, retry_every] statuses [sent, error, suppressed]
.node 0 welcome send [next -> step1]
.node 1 step1 wait [next -> guide]
.node 2 guide send [next -> needs_profile]
.node 3 needs_profile segment [no -> mark_onboarded, yes -> complete_profile]
.node 4 complete_profile send [next -> mark_onboarded]
.node 5 mark_onboarded send [next -> end]
end:
      0  End
exit:
      1  Exit
node welcome:
      2  Enter          node welcome    ; line 33:5
      3  LoadK          r1, K0="welcome_tips_v3"
      4  Profile        r2, "preferred_language"
      5  LoadK          r3, K1="en"
      6  Filter         r2, |default/2, r2
      7  Concat         r2, r2, 1
      8  MapNew         r3
      9  Profile        r4, "first_name"
     10  LoadK          r5, K2="there"
     11  Filter         r4, |default/2, r4
     12  Filter         r4, |title/1, r4
     13  Concat         r4, r4, 1
     14  MapSet         r3, r4, "first_name"
     15  EntryProp      r4, "method"
     16  Concat         r4, r4, 1
     17  MapSet         r3, r4, "signup_method"
     18  Send           r0, send 0, r1
     19  Take           0, @20 <node step1>
node step1:
     20  Enter          node step1    ; line 42:5
     21  LoadK          r0, K3=86400s
     22  WaitFor        r0
     23  Take           0, @24 <node guide>
node guide:
     24  Enter          node guide    ; line 44:5
     25  LoadK          r1, K4="Your Getting Started guide, "
     26  Profile        r2, "first_name"
     27  LoadK          r3, K5="friend"
     28  Filter         r2, |default/2, r2
     29  Filter         r2, |title/1, r2
     30  Concat         r1, r1, 2
     31  LoadK          r2, K6="Team Nestly <hello@nestly.in>"
     32  LoadK          r3, K7="support@nestly.in"
     33  LoadK          r4, K8="https://cdn.nestly.in/guides/getting-started.pdf"
     34  LoadK          r5, K9="\n        <h1>Welcome aboard, "
     35  Profile        r6, "first_name"
     36  LoadK          r7, K5="friend"
     37  Filter         r6, |default/2, r6
     38  Filter         r6, |title/1, r6
     39  LoadK          r7, K10="!</h1>\n        <p>Here are the five things our happiest customers do in their first week:</p>\n        <ol>\n          <li>Save your delivery address for one-tap checkout</li>\n          <li>Follow three brands you love</li>\n          <li>Turn on price-drop alerts</li>\n          <li>Add a payment method</li>\n          <li>Invite a friend and both of you get Rs 100 off</li>\n        </ol>\n        <p>The full guide is attached as a PDF. Happy shopping!</p>\n      "
     40  Filter         r6, |escape_html/1, r6
     41  Concat         r5, r5, 3
     42  LoadK          r6, K11="Welcome aboard! Your Getting Started guide is attached."
     43  Send           r0, send 1, r1
     44  Take           0, @45 <node needs_profile>
node needs_profile:
     45  Enter          node needs_profile    ; line 65:5
     46  Profile        r1, "profile_completion"
     47  LoadK          r2, K12=100
     48  Lt             r1, r1, r2
     49  JumpIfFalse    r1, @51
     50  Take           1, @52 <node complete_profile>
     51  Take           0, @63 <node mark_onboarded>
node complete_profile:
     52  Enter          node complete_profile    ; line 67:5
     53  LoadK          r1, K13="You're almost there"
     54  LoadK          r2, K14="Your profile is "
     55  Profile        r3, "profile_completion"
     56  LoadK          r4, K15=0
     57  Filter         r3, |round/2, r3
     58  LoadK          r4, K16="% complete. Finish it in under a minute to unlock faster checkout."
     59  Concat         r2, r2, 3
     60  LoadK          r3, K17="nestly://profile/edit"
     61  Send           r0, send 2, r1
     62  Take           0, @63 <node mark_onboarded>
node mark_onboarded:
     63  Enter          node mark_onboarded    ; line 73:5
     64  LoadK          r1, K18="https://crm.nestly.in/api/v2/contacts/"
     65  Profile        r2, "user_id"
     66  Filter         r2, |url_encode/1, r2
     67  LoadK          r3, K19="/stage"
     68  Concat         r1, r1, 3
     69  LoadK          r2, K20="PUT"
     70  MapNew         r3
     71  LoadK          r4, K21="application/json"
     72  MapSet         r3, r4, "Content-Type"
     73  LoadK          r4, K22="journeys"
     74  MapSet         r3, r4, "X-Source"
     75  LoadK          r4, K23="{\"stage\": \"onboarded\", \"signup_platform\": "
     76  EntryProp      r5, "platform"
     77  Filter         r5, |json/1, r5
     78  LoadK          r6, K24=" }"
     79  Concat         r4, r4, 3
     80  LoadK          r5, K25=10s
     81  LoadK          r6, K26=3
     82  LoadK          r7, K27=600s
     83  Send           r0, send 3, r1
     84  Take           0, @0 <end>
predicate 0:
     85  IsEvent        r0, "Signed Up"    ; line 28:9
     86  Return         r0
