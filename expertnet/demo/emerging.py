"""Demo step for the emerging threats the 2025 plenary named (issue 18): AI-enabled misuse and uncrewed aerial
systems. Four hand-written experts (English, Arabic, French and Spanish texts) hold the new taxonomy topics
(seed.seed_experts adds them after content.experts(), whose seeded draw stays as it is; seed_chemicals tags the
substances their texts name); the hub's items about these threats are in hub.json."""

EXPERTS = [
    {"email": "h.lindqvist@research.example", "full_name": "Hanna Lindqvist", "locale": "en",
     "affiliation": "Independent consultant", "organisation": None,
     "headline": "Computational chemist · misuse risks of AI-assisted synthesis planning",
     "biography": "Hanna Lindqvist spent twelve years building retrosynthesis software before advising model "
                  "developers and regulators on AI misuse. She designed query screening against the CWC Schedules "
                  "for two synthesis-planning tools.",
     "expertise_statement": "My core expertise is AI-assisted synthesis route planning and the safeguards that stop "
                            "retrosynthesis tools from proposing routes to scheduled chemicals or explosives "
                            "precursors such as ammonium nitrate and hydrogen peroxide.",
     "topics": [["ai-synthesis-route-planning", "expert"], ["ai-emerging-tech", "expert"],
                ["chemicals-of-concern", "practitioner"]],
     "languages": [["en", "fluent"], ["sv", "native"]], "countries": ["SE", "GB"], "regions": ["europe"]},
    {"email": "k.alrashidi@expertmail.example", "full_name": "خالد الرشيدي", "locale": "ar",
     "affiliation": "مستشار مستقل", "organisation": None,
     "headline": "مهندس أنظمة جوية غير مأهولة – التصدي للطائرات المسيّرة في المواقع الكيميائية والموانئ",
     "biography": "خالد الرشيدي مهندس يعمل منذ أربعة عشر عاماً في كشف الطائرات المسيّرة وحماية المنشآت الحيوية، "
                  "وأعدّ خطط التعامل مع الطائرات المسيّرة لمحطات تخزين الأمونيا ونترات الأمونيوم في الموانئ.",
     "expertise_statement": "تتركز خبرتي في التصدي للطائرات المسيّرة في المواقع الكيميائية: أجهزة الكشف بالترددات "
                            "الراديوية والرادار، ومناطق حظر الطيران، وخطط الاستجابة بالتنسيق مع الشرطة وسلطة الطيران.",
     "topics": [["counter-uas-chemical-sites", "expert"], ["uas-drone-threats", "expert"],
                ["physical-protection", "practitioner"]],
     "languages": [["ar", "native"], ["en", "fluent"]], "countries": ["JO", "AE", "SA"], "regions": ["mena"]},
    {"email": "c.moreau@consulting.example", "full_name": "Claire Moreau", "locale": "en",
     "affiliation": "Independent consultant", "organisation": None,
     "headline": "Crisis communication adviser · AI-generated disinformation about chemical incidents",
     "biography": "Claire Moreau led public communication for a civil protection service for ten years and now "
                  "trains incident commanders to answer deepfakes and fake evacuation orders during chemical releases.",
     "expertise_statement": "Je travaille sur la désinformation générée par l'IA lors d'incidents chimiques : "
                            "détection des hypertrucages, démenti et communication de crise. I also work in English.",
     "topics": [["ai-disinformation-incidents", "expert"], ["incident-command-communication", "practitioner"]],
     "languages": [["fr", "native"], ["en", "fluent"]], "countries": ["FR", "SN", "MA"], "regions": ["europe", "africa"]},
    {"email": "d.herrera@mail.example", "full_name": "Diego Herrera", "locale": "en",
     "affiliation": "Independent consultant", "organisation": None,
     "headline": "Especialista en drones y materiales peligrosos · dispersión de sustancias químicas mediante drones",
     "biography": "Diego Herrera fue jefe de materiales peligrosos de un cuerpo de bomberos y hoy forma a "
                  "primeros intervinientes de América Latina sobre el uso indebido de drones de fumigación agrícola.",
     "expertise_statement": "Mi especialidad es la dispersión de sustancias químicas mediante drones: evaluación de "
                            "cargas útiles, perímetros, toma de muestras y primera respuesta ante la fumigación con drones.",
     "topics": [["uas-chemical-dispersal", "expert"], ["first-response-hazmat", "expert"],
                ["uas-drone-threats", "practitioner"]],
     "languages": [["es", "native"], ["en", "working"]], "countries": ["CO", "PE", "MX"], "regions": ["americas"]},
]

