"""Realistic, fictional demo content for the expert network.

Pure Python (stdlib only) and deterministic: the same seed always yields the same data.
All organisations, people and e-mail addresses are invented; e-mail domains use the reserved
``.example`` top-level domain.  Requests and messages live in ``requests.json`` beside this file.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# Countries: code -> (English name, Arabic name, region slug, name pool, native language codes)
# ---------------------------------------------------------------------------------------------
COUNTRIES = {
    "JO": ("Jordan", "الأردن", "mena", "ar", ["ar"]),
    "MA": ("Morocco", "المغرب", "mena", "ar", ["ar", "fr"]),
    "EG": ("Egypt", "مصر", "mena", "ar", ["ar"]),
    "AE": ("the United Arab Emirates", "الإمارات العربية المتحدة", "mena", "ar", ["ar"]),
    "TN": ("Tunisia", "تونس", "mena", "ar", ["ar", "fr"]),
    "IQ": ("Iraq", "العراق", "mena", "ar", ["ar"]),
    "LB": ("Lebanon", "لبنان", "mena", "ar", ["ar", "fr"]),
    "SA": ("Saudi Arabia", "المملكة العربية السعودية", "mena", "ar", ["ar"]),
    "DZ": ("Algeria", "الجزائر", "mena", "ar", ["ar", "fr"]),
    "FR": ("France", "فرنسا", "europe", "fr", ["fr"]),
    "BE": ("Belgium", "بلجيكا", "europe", "fr", ["fr"]),
    "ES": ("Spain", "إسبانيا", "europe", "es", ["es"]),
    "DE": ("Germany", "ألمانيا", "europe", "nw", ["de"]),
    "NL": ("the Netherlands", "هولندا", "europe", "nw", ["nl"]),
    "GB": ("the United Kingdom", "المملكة المتحدة", "europe", "nw", ["en"]),
    "PL": ("Poland", "بولندا", "europe", "pl", ["pl"]),
    "CZ": ("Czechia", "التشيك", "europe", "pl", ["cs"]),
    "IT": ("Italy", "إيطاليا", "europe", "it", ["it"]),
    "SE": ("Sweden", "السويد", "europe", "se", ["sv"]),
    "CH": ("Switzerland", "سويسرا", "europe", "nw", ["de", "fr"]),
    "KE": ("Kenya", "كينيا", "africa", "af", ["sw", "en"]),
    "NG": ("Nigeria", "نيجيريا", "africa", "af", ["en"]),
    "GH": ("Ghana", "غانا", "africa", "af", ["en"]),
    "ZA": ("South Africa", "جنوب أفريقيا", "africa", "af", ["en"]),
    "SN": ("Senegal", "السنغال", "africa", "fa", ["fr"]),
    "CI": ("Côte d'Ivoire", "كوت ديفوار", "africa", "fa", ["fr"]),
    "ID": ("Indonesia", "إندونيسيا", "asia-pacific", "ms", ["id"]),
    "MY": ("Malaysia", "ماليزيا", "asia-pacific", "ms", ["ms"]),
    "PH": ("the Philippines", "الفلبين", "asia-pacific", "ph", ["tl", "en"]),
    "IN": ("India", "الهند", "asia-pacific", "in", ["hi"]),
    "AU": ("Australia", "أستراليا", "asia-pacific", "am", ["en"]),
    "US": ("the United States", "الولايات المتحدة", "americas", "am", ["en"]),
    "CA": ("Canada", "كندا", "americas", "am", ["en"]),
    "MX": ("Mexico", "المكسيك", "americas", "es", ["es"]),
    "CO": ("Colombia", "كولومبيا", "americas", "es", ["es"]),
    "CL": ("Chile", "تشيلي", "americas", "es", ["es"]),
    "AR": ("Argentina", "الأرجنتين", "americas", "es", ["es"]),
    "KZ": ("Kazakhstan", "كازاخستان", "central-asia", "ru", ["kk", "ru"]),
    "UZ": ("Uzbekistan", "أوزبكستان", "central-asia", "ru", ["uz", "ru"]),
}
ARAB_COUNTRIES = ["JO", "MA", "EG", "AE", "TN", "IQ", "LB", "SA", "DZ"]
HOME_WEIGHTS = {
    "JO": 5, "MA": 5, "EG": 5, "AE": 4, "TN": 4, "IQ": 3, "LB": 2, "SA": 2, "DZ": 2,
    "FR": 5, "BE": 2, "ES": 4, "DE": 5, "NL": 4, "GB": 6, "PL": 3, "CZ": 2, "IT": 3, "SE": 2, "CH": 2,
    "KE": 3, "NG": 3, "GH": 2, "ZA": 3, "SN": 2, "CI": 1,
    "ID": 3, "MY": 3, "PH": 2, "IN": 3, "AU": 4, "US": 6, "CA": 3, "MX": 3, "CO": 3, "CL": 2,
    "AR": 2, "KZ": 2, "UZ": 1,
}

# Name pools: (male first names, female first names, surnames).  Arabic pool entries are
# (Latin transliteration, Arabic script) pairs.
NAMES = {
    "ar": ([("Omar", "عمر"), ("Khaled", "خالد"), ("Youssef", "يوسف"), ("Ahmed", "أحمد"), ("Tariq", "طارق"),
            ("Sami", "سامي"), ("Hassan", "حسن"), ("Karim", "كريم"), ("Ziad", "زياد"), ("Mahmoud", "محمود"),
            ("Faisal", "فيصل"), ("Nabil", "نبيل")],
           [("Layla", "ليلى"), ("Rania", "رانيا"), ("Nour", "نور"), ("Salma", "سلمى"), ("Hiba", "هبة"),
            ("Amal", "أمل"), ("Dina", "دينا"), ("Mariam", "مريم"), ("Yasmine", "ياسمين"), ("Samar", "سمر")],
           [("Haddad", "حداد"), ("Al-Masri", "المصري"), ("Benali", "بن علي"), ("Al-Khatib", "الخطيب"),
            ("Nasser", "ناصر"), ("Mansour", "منصور"), ("El-Amrani", "العمراني"), ("Al-Rubaie", "الربيعي"),
            ("Trabelsi", "الطرابلسي"), ("Al-Hashimi", "الهاشمي"), ("Saleh", "صالح"), ("Obeidat", "عبيدات"),
            ("Al-Zaabi", "الزعابي"), ("Farouk", "فاروق"), ("Jaber", "جابر"), ("Bennani", "بناني")]),
    "fr": (["Pierre", "Luc", "Antoine", "Mathieu", "Olivier", "Julien"], ["Claire", "Élise", "Camille", "Sophie", "Isabelle", "Manon"],
           ["Dubois", "Lefèvre", "Martin", "Girard", "Moreau", "Laurent", "Mercier", "Fontaine"]),
    "fa": (["Moussa", "Ibrahima", "Cheikh", "Abdoulaye", "Yao"], ["Aïssatou", "Fatou", "Mariama", "Awa", "Adjoa"],
           ["Diop", "Ndiaye", "Traoré", "Koné", "Diallo", "Sow", "Kouassi"]),
    "es": (["Javier", "Carlos", "Andrés", "Diego", "Luis", "Mateo"], ["Elena", "Lucía", "Carmen", "Valentina", "Paula", "Camila"],
           ["García", "Moreno", "Rodríguez", "Vargas", "Herrera", "Castillo", "Ortega", "Navarro", "Rojas"]),
    "nw": (["James", "Stefan", "Pieter", "Mark", "Thomas", "Daniel", "Jonas"], ["Sarah", "Katrin", "Eva", "Hannah", "Emma", "Charlotte"],
           ["Clarke", "Becker", "de Vries", "Fischer", "Wagner", "Jansen", "Hughes", "Bakker", "Schmidt", "Evans"]),
    "pl": (["Tomasz", "Jan", "Piotr", "Pavel"], ["Marta", "Anna", "Katarzyna", "Petra"],
           ["Kowalski", "Nowak", "Wiśniewski", "Dvořák", "Zieliński"]),
    "it": (["Marco", "Luca", "Davide"], ["Chiara", "Giulia", "Francesca"], ["Rossi", "Bianchi", "Romano", "Ferrari", "Greco"]),
    "se": (["Lars", "Mikael", "Erik"], ["Ingrid", "Karin", "Sofia"], ["Lindqvist", "Johansson", "Andersson", "Berg"]),
    "af": (["Peter", "Samuel", "Emeka", "Kwame", "Thabo", "Joseph", "Tunde"], ["Grace", "Amina", "Ngozi", "Akosua", "Lerato", "Wanjiru", "Esther"],
           ["Otieno", "Okafor", "Mensah", "Ndlovu", "Mwangi", "Adeyemi", "Kamau", "Nkosi", "Boateng", "Achieng"]),
    "ms": (["Budi", "Hafiz", "Rizal", "Agus"], ["Siti", "Nurul", "Dewi", "Aisyah"], ["Santoso", "Rahman", "Wijaya", "Ismail", "Hidayat", "Abdullah"]),
    "ph": (["Rafael", "Jose", "Miguel"], ["Maria", "Ana", "Kristine"], ["Reyes", "Cruz", "Santos", "Villanueva", "Bautista"]),
    "in": (["Arjun", "Rohan", "Vikram", "Sanjay"], ["Priya", "Ananya", "Kavita", "Meera"], ["Sharma", "Nair", "Iyer", "Mehta", "Rao"]),
    "am": (["Michael", "David", "Robert", "Kevin", "Brian", "Ryan"], ["Jennifer", "Laura", "Rachel", "Emily", "Megan", "Olivia"],
           ["Thompson", "Miller", "Wilson", "Anderson", "Harris", "Campbell", "Walker", "Roy", "Mitchell"]),
    "ru": (["Aidar", "Timur", "Sergei", "Rustam", "Dmitri"], ["Aigerim", "Dilnoza", "Elena", "Gulnara", "Natalia"],
           ["Nurlanov", "Karimov", "Petrov", "Abdullaev", "Sultanov", "Ivanov"]),
}

# ---------------------------------------------------------------------------------------------
# Organisations: (name, country, kind, e-mail domain)
# ---------------------------------------------------------------------------------------------
_ORGS = [
    ("Jordan Customs – Aqaba Port Directorate", "JO", "customs_border", "aqaba-customs.jo.example"),
    ("Public Security Directorate of Jordan – CBRN Investigation Unit", "JO", "law_enforcement", "psd-cbrn.jo.example"),
    ("Moroccan National Commission for Chemical Security", "MA", "regulator", "cnsc.ma.example"),
    ("Egyptian Civil Protection Authority – Hazmat Directorate", "EG", "emergency_services", "civilprotection.eg.example"),
    ("Cairo Institute for Applied Chemistry and Forensics", "EG", "academia_research", "ciacf.eg.example"),
    ("UAE Federal Customs – Free Zones Risk Unit", "AE", "customs_border", "fz-risk.ae.example"),
    ("Emirates Chemical Industry Association", "AE", "industry", "eciassoc.ae.example"),
    ("Tunisian National Guard – Explosives and Precursors Unit", "TN", "law_enforcement", "gn-explosifs.tn.example"),
    ("Iraqi National Monitoring Directorate – Chemical Programme", "IQ", "regulator", "nmd.iq.example"),
    ("Iraqi Civil Defence – Basra Hazmat Command", "IQ", "emergency_services", "basra-cd.iq.example"),
    ("National Police Agency of Kenya – Chemical Crimes Unit", "KE", "law_enforcement", "npa-ccu.ke.example"),
    ("Nigeria Customs Service – Lagos Port Command Risk Unit", "NG", "customs_border", "lagos-risk.ng.example"),
    ("South African Chemical Industry Security Forum", "ZA", "industry", "sacisf.za.example"),
    ("Senegal Fire and Rescue Brigade – CBRN Company", "SN", "military_defence", "bnsp-nrbc.sn.example"),
    ("Rotterdam Harbour Dangerous Goods Inspectorate", "NL", "regulator", "rhdgi.nl.example"),
    ("French Gendarmerie – Chemical Precursors Investigation Cell", "FR", "law_enforcement", "gend-precurseurs.fr.example"),
    ("Guardia Civil – CBRN Training Academy", "ES", "law_enforcement", "gc-nrbq.es.example"),
    ("Polish Institute of Industrial Chemistry – Security Research Group", "PL", "academia_research", "iic-security.pl.example"),
    ("Indonesian National Police – Bomb Disposal and Forensics Centre", "ID", "law_enforcement", "polri-eod.id.example"),
    ("Philippine Bureau of Customs – Chemical Precursors Task Force", "PH", "customs_border", "boc-cptf.ph.example"),
    ("Malaysian Chemical Industries Council – Security Committee", "MY", "industry", "mcic-sec.my.example"),
    ("Australian Chemical Security Research Consortium", "AU", "academia_research", "acsrc.au.example"),
    ("Colombian Army – Explosives and Demining Engineering School", "CO", "military_defence", "esing.co.example"),
    ("Mexican Federal Commission for Chemical Risk Regulation", "MX", "regulator", "cofericq.mx.example"),
    ("Regional CBRN Training Centre for Central Asia", "KZ", "international_organisation", "rctc-ca.kz.example"),
    ("Global Chemical Security Partnership Secretariat", "CH", "international_organisation", "gcsp-secretariat.example"),
]
_DOMAIN = {name: dom for name, _, _, dom in _ORGS}


def organisations() -> list[dict]:
    """Member agencies of the network."""
    return [{"name": n, "country": c, "kind": k} for n, c, k, _ in _ORGS]


def coordinators() -> list[dict]:
    """The network secretariat."""
    return [
        {"email": "helena.marsh@secretariat.expertnet.example", "full_name": "Helena Marsh", "locale": "en",
         "time_zone": "Europe/London"},
        {"email": "rami.abudayyeh@secretariat.expertnet.example", "full_name": "رامي أبو دية", "locale": "ar",
         "time_zone": "Asia/Amman"},
        {"email": "ines.carvalho@secretariat.expertnet.example", "full_name": "Inês Carvalho", "locale": "en",
         "time_zone": "Europe/Lisbon"},
    ]


def regional_coordinators() -> list[dict]:
    """Coordinators limited to a regional network's requests (issue 18): each coordinates the region named."""
    return [
        {"email": "layla.almasri@secretariat.expertnet.example", "full_name": "ليلى المصري", "locale": "ar",
         "time_zone": "Asia/Amman", "region": "mena"},
    ]


# Regional networks and working groups (issue 18): slug -> (kind, name, description, countries of the agencies
# placed in it, or for a working group the kinds of organisation it gathers).
GROUPS = {
    "mena": ("region", "Middle East and North Africa",
             "The regional network of agencies in the Middle East and North Africa: open requests, training and "
             "ports, customs and precursor controls across the region. الشبكة الإقليمية للشرق الأوسط وشمال أفريقيا.",
             ("JO", "MA", "EG", "AE", "TN", "IQ")),
    "sub-saharan-africa": ("region", "Sub-Saharan Africa",
                           "Agencies of East, West and Southern Africa: chemical crime, port risk and first response.",
                           ("KE", "NG", "ZA", "SN")),
    "south-east-asia": ("region", "South-East Asia",
                        "Police, customs and industry of South-East Asia: explosives precursors and port controls.",
                        ("ID", "PH", "MY")),
    "latin-america": ("region", "Latin America",
                      "Agencies of Latin America: explosives, demining and chemical-risk regulation. "
                      "Red regional de América Latina.", ("CO", "MX")),
    "cross-sector-advisory-group": ("working_group", "Cross-sector advisory group",
                                    "The private sector's advisory group: chemical-industry associations and the "
                                    "experts who advise them on security culture, supply chains and cyber threats.",
                                    ("industry",)),
}


# Agency officers: organisation index -> [(full name, locale, e-mail local part)]
_MEMBERS = {
    0: [("سامر العبادي", "ar", "samer.alabbadi"), ("Lina Khoury", "en", "lina.khoury")],
    1: [("محمد الزعبي", "ar", "mohammad.alzoubi"), ("Dana Haddadin", "en", "dana.haddadin")],
    2: [("نادية الإدريسي", "ar", "nadia.idrissi"), ("Youssef Tazi", "en", "youssef.tazi")],
    3: [("أحمد عبد الحميد", "ar", "ahmed.abdelhamid"), ("Mona Fawzy", "ar", "mona.fawzy")],
    5: [("Fatima Al-Suwaidi", "en", "fatima.alsuwaidi"), ("راشد الكعبي", "ar", "rashed.alkaabi")],
    10: [("Josephine Wairimu", "en", "josephine.wairimu"), ("Daniel Kiprop", "en", "daniel.kiprop")],
    11: [("Chinedu Okeke", "en", "chinedu.okeke"), ("Halima Bello", "en", "halima.bello")],
    15: [("Capitaine Aurélie Marchand", "en", "aurelie.marchand"), ("Nicolas Perrin", "en", "nicolas.perrin")],
    4: [("هالة منصور", "ar", "hala.mansour")],
    6: [("Omar Al-Hammadi", "en", "omar.alhammadi")],
    7: [("منير الشابي", "ar", "mounir.chebbi")],
    8: [("علي حسين الجبوري", "ar", "ali.aljubouri")],
    9: [("كاظم عبد الرضا", "ar", "kadhim.abdulridha")],
    12: [("Pieter van Wyk", "en", "pieter.vanwyk")],
    13: [("Lt. Mamadou Faye", "en", "mamadou.faye")],
    14: [("Marloes Visser", "en", "marloes.visser")],
    16: [("Beatriz Sanz", "en", "beatriz.sanz")],
    17: [("Agnieszka Wójcik", "en", "agnieszka.wojcik")],
    18: [("Kompol Andi Prasetyo", "en", "andi.prasetyo")],
    19: [("Ramon dela Cruz", "en", "ramon.delacruz")],
    20: [("Lim Wei Ling", "en", "weiling.lim")],
    21: [("Dr Fiona McAllister", "en", "fiona.mcallister")],
    22: [("Mayor Felipe Ospina", "en", "felipe.ospina")],
    23: [("Adriana Salinas", "en", "adriana.salinas")],
    24: [("Yerlan Bekov", "en", "yerlan.bekov")],
    25: [("Sabine Keller", "en", "sabine.keller")],
}


def members() -> list[dict]:
    """Officers of member agencies who submit requests."""
    out = []
    for idx in sorted(_MEMBERS):
        org = _ORGS[idx][0]
        for full_name, locale, local in _MEMBERS[idx]:
            out.append({"email": f"{local}@{_DOMAIN[org]}", "full_name": full_name, "locale": locale, "organisation": org})
    return out


# ---------------------------------------------------------------------------------------------
# What an expert can do, per topic: (English phrase, Arabic phrase)
# ---------------------------------------------------------------------------------------------
SKILLS = {
    "cs-legislation": ("drafting chemical-security provisions and UNSCR 1540 implementing legislation",
                       "صياغة أحكام الأمن الكيميائي والتشريعات المنفذة لقرار مجلس الأمن 1540"),
    "cwc-implementation": ("setting up CWC national authorities, annual declarations and escorting OPCW inspections",
                           "إنشاء الهيئات الوطنية لاتفاقية الأسلحة الكيميائية وإعداد الإعلانات السنوية ومرافقة فرق تفتيش المنظمة"),
    "cwc-scheduled-chemicals": ("classifying Schedule 2 and 3 chemicals and reconciling transfer data against partner declarations",
                                "تصنيف مواد الجدولين 2 و3 ومطابقة بيانات النقل مع إعلانات الدول الشريكة"),
    "explosives-precursor-controls": ("designing licensing and point-of-sale checks for restricted explosives precursors",
                                      "تصميم أنظمة الترخيص والتحقق عند البيع لسلائف المتفجرات المقيدة"),
    "dual-use-export-controls": ("dual-use export licensing, Australia Group list interpretation and end-user checks",
                                 "ترخيص صادرات المواد ذات الاستخدام المزدوج وتفسير قوائم مجموعة أستراليا والتحقق من المستخدم النهائي"),
    "chemicals-of-concern": ("building national chemicals-of-concern watch-lists with transparent risk ranking",
                             "إعداد القوائم الوطنية للمواد الكيميائية المثيرة للقلق وترتيبها حسب الخطورة بمنهجية شفافة"),
    "supply-chain-kyc": ("know-your-customer programmes and suspicious-order screening for chemical distributors",
                         "برامج اعرف عميلك وفحص الطلبات المشبوهة لدى موزعي المواد الكيميائية"),
    "online-sales-monitoring": ("monitoring online marketplaces and dark-web vendors selling nitrates, peroxides and other precursors",
                                "رصد الأسواق الإلكترونية وبائعي الإنترنت المظلم الذين يعرضون النترات والبيروكسيدات وغيرها من السلائف"),
    "bec-fraud-chemical-trade": ("investigating business e-mail compromise and fake purchase orders aimed at chemical suppliers",
                                 "التحقيق في اختراق البريد الإلكتروني للأعمال وأوامر الشراء المزورة التي تستهدف موردي المواد الكيميائية"),
    "transport-security": ("security plans for high-consequence dangerous goods under ADR, RID and the IMDG Code",
                           "خطط أمن نقل البضائع الخطرة عالية العواقب وفق اتفاقيات النقل البري والسككي والمدونة البحرية الدولية"),
    "customs-interdiction": ("customs risk profiling and targeting of HS chapter 28 and 29 consignments",
                             "التحليل الجمركي للمخاطر واستهداف الشحنات المصنفة في الفصلين 28 و29 من النظام المنسق"),
    "ports-warehouses": ("securing bulk chemical storage in ports, bonded warehouses and free zones",
                         "تأمين تخزين المواد الكيميائية السائبة في الموانئ والمستودعات الجمركية والمناطق الحرة"),
    "security-vulnerability-assessment": ("leading security vulnerability assessments (SVA) of chemical plants and terminals",
                                          "قيادة تقييمات الثغرات الأمنية للمصانع والمحطات الكيميائية"),
    "physical-protection": ("designing perimeter, access-control and intrusion-detection layers for chemical sites",
                            "تصميم طبقات حماية المحيط والتحكم في الدخول وكشف التسلل للمواقع الكيميائية"),
    "insider-threat-personnel-surety": ("insider-threat programmes, personnel vetting and behavioural indicator training",
                                        "برامج مكافحة التهديد الداخلي والتدقيق الأمني للعاملين والتدريب على المؤشرات السلوكية"),
    "inventory-theft-diversion": ("inventory reconciliation and loss investigation for toxic and precursor chemicals",
                                  "مطابقة المخزون والتحقيق في فقدان المواد السامة والسلائف"),
    "ot-ics-cybersecurity": ("hardening DCS, SCADA and safety instrumented systems with IEC 62443 zones and conduits",
                             "تحصين أنظمة التحكم الموزعة وسكادا وأنظمة السلامة الآلية وفق مناطق وقنوات المعيار IEC 62443"),
    "it-cybersecurity-chemical-sector": ("ransomware resilience and incident response for chemical companies",
                                         "الصمود أمام برمجيات الفدية والاستجابة للحوادث السيبرانية في الشركات الكيميائية"),
    "laboratory-chemical-security": ("chemical security management in university and hospital laboratories",
                                     "إدارة الأمن الكيميائي في مختبرات الجامعات والمستشفيات"),
    "security-culture-training": ("security-awareness curricula and train-the-trainer courses for plant staff",
                                  "مناهج التوعية الأمنية ودورات تدريب المدربين للعاملين في المصانع"),
    "threat-assessment": ("structured CBRN threat assessment and design-basis threat development",
                          "التقييم المنهجي لتهديدات المواد الكيميائية وإعداد التهديد المرجعي للتصميم"),
    "uas-drone-threats": ("drone-threat assessment and counter-UAS planning for industrial sites",
                          "تقييم تهديدات الطائرات المسيّرة وتخطيط تدابير التصدي لها في المواقع الصناعية"),
    "ai-emerging-tech": ("assessing misuse risks of AI-assisted molecule design, cloud labs and 3D printing",
                         "تقييم مخاطر إساءة استخدام التصميم الجزيئي بالذكاء الاصطناعي والمختبرات السحابية والطباعة ثلاثية الأبعاد"),
    "tic-weaponisation": ("analysing chlorine, ammonia and other toxic industrial chemicals used as weapons",
                          "تحليل حالات استخدام الكلور والأمونيا وغيرها من المواد الصناعية السامة كأسلحة"),
    "early-warning-outreach": ("retailer outreach and suspicious-activity reporting schemes",
                               "برامج توعية تجار التجزئة وأنظمة الإبلاغ عن الأنشطة المشبوهة"),
    "hme-ied-precursors": ("homemade explosive (HME) chemistry and IED precursor exploitation",
                           "كيمياء المتفجرات محلية الصنع واستغلال المعلومات عن سلائف العبوات الناسفة"),
    "explosives-detection": ("explosives trace detection, IMS screening and canine team integration",
                             "كشف آثار المتفجرات والفحص بمطياف حركية الأيونات ودمج فرق الكلاب البوليسية"),
    "post-blast-investigation": ("post-blast scene examination and IED reconstruction",
                                 "معاينة مسارح ما بعد الانفجار وإعادة بناء العبوات الناسفة"),
    "field-detection-identification": ("field identification with handheld Raman, FTIR and IMS",
                                       "التعرف الميداني على المواد باستخدام أجهزة رامان وFTIR ومطياف حركية الأيونات المحمولة"),
    "lab-analysis-accreditation": ("GC-MS and LC-MS method validation and ISO/IEC 17025 accreditation",
                                   "التحقق من صحة طرق GC-MS وLC-MS والاعتماد وفق المعيار ISO/IEC 17025"),
    "forensic-chemistry-attribution": ("impurity profiling and chemical attribution casework",
                                       "توصيف الشوائب والعمل على قضايا الإسناد الكيميائي"),
    "sampling-chain-of-custody": ("evidential sampling, packaging and chain-of-custody procedures",
                                  "إجراءات أخذ العينات الإثباتية وتغليفها والحفاظ على سلسلة الحيازة"),
    "chemical-crime-investigation": ("investigating diversion, illicit purchase and criminal use of chemicals",
                                     "التحقيق في تحويل المواد الكيميائية وشرائها غير المشروع واستخدامها الإجرامي"),
    "prosecution-international-cooperation": ("mutual legal assistance, joint investigation teams and prosecuting chemical offences",
                                              "المساعدة القانونية المتبادلة وفرق التحقيق المشتركة والملاحقة القضائية في الجرائم الكيميائية"),
    "information-sharing-ppp": ("public-private information-sharing partnerships with chemical industry",
                                "شراكات تبادل المعلومات بين القطاعين العام والخاص مع الصناعة الكيميائية"),
    "first-response-hazmat": ("hazmat operations, zoning and PPE selection at chemical incidents",
                              "عمليات التعامل مع المواد الخطرة وتقسيم المناطق واختيار معدات الوقاية في الحوادث الكيميائية"),
    "decontamination": ("mass and technical decontamination of casualties and responders",
                        "إزالة التلوث الجماعية والفنية للمصابين والمستجيبين"),
    "medical-countermeasures": ("clinical management of nerve-agent and toxic-inhalation casualties and antidote stockpiles",
                                "العلاج السريري لمصابي غازات الأعصاب والاستنشاق السام وإدارة مخزون الترياقات"),
    "exercises-planning": ("designing tabletop and full-scale chemical-incident exercises",
                           "تصميم تمارين المحاكاة النظرية والتمارين الميدانية الشاملة للحوادث الكيميائية"),
    "incident-command-communication": ("incident command, multi-agency coordination and public risk communication",
                                       "قيادة الحوادث والتنسيق بين الجهات المتعددة والتواصل مع الجمهور بشأن المخاطر"),
    "remediation-recovery": ("site remediation, clearance sampling and recovery after chemical releases",
                             "معالجة المواقع وأخذ عينات التحقق من الخلو والتعافي بعد التسربات الكيميائية"),
    "needs-assessment-action-plans": ("national needs assessments and chemical-security action plans",
                                      "تقييم الاحتياجات الوطنية وإعداد خطط العمل للأمن الكيميائي"),
}


# ---------------------------------------------------------------------------------------------
# Professional archetypes.  Each yields coherent topics, job titles, achievements and outputs.
# Achievement phrases take {c} (a country name) and read after a subject ("She led ...").
# ---------------------------------------------------------------------------------------------
def _p(key, primary, secondary, kinds, titles, titles_ar, focus, focus_ar, employers, employers_ar,
       feats, feats_ar, pubs, pubs_ar):
    return dict(key=key, primary=primary, secondary=secondary, kinds=kinds, titles=titles, titles_ar=titles_ar,
                focus=focus, focus_ar=focus_ar, employers=employers, employers_ar=employers_ar,
                feats=feats, feats_ar=feats_ar, pubs=pubs, pubs_ar=pubs_ar)


PERSONAS = [
    _p("ot_ics", ["ot-ics-cybersecurity"], ["it-cybersecurity-chemical-sector", "security-vulnerability-assessment", "insider-threat-personnel-surety", "security-culture-training"],
       ["industry", "academia_research"],
       ["OT security engineer", "ICS security architect", "Industrial cyber incident responder"],
       ["مهندس أمن التقنيات التشغيلية", "خبير أمن أنظمة التحكم الصناعي"],
       ["SCADA hardening for chlorine and ammonia plants", "IEC 62443 for chemical process control", "safety instrumented system security"],
       ["تحصين أنظمة سكادا في مصانع الكلور والأمونيا", "تطبيق المعيار IEC 62443 في أنظمة التحكم بالعمليات"],
       ["a chlor-alkali producer", "a national CERT", "a process automation vendor", "a fertiliser manufacturer"],
       ["شركة لإنتاج الكلور والصودا الكاوية", "الفريق الوطني للاستجابة لطوارئ الحاسوب"],
       ["led SCADA hardening at a chlorine plant in {c}, separating the safety instrumented system from the plant network",
        "ran the OT incident response when ransomware reached the engineering workstations of a fertiliser site in {c}",
        "built an IEC 62443 zone-and-conduit model covering 14 chemical sites in {c}",
        "trained plant engineers in {c} to detect unauthorised PLC logic changes"],
       ["قيادة مشروع تحصين أنظمة سكادا في مصنع للكلور في {c} وفصل نظام السلامة الآلي عن شبكة المصنع",
        "إدارة الاستجابة لحادث فدية طال محطات الهندسة في موقع لإنتاج الأسمدة في {c}",
        "تصميم نموذج المناطق والقنوات وفق المعيار IEC 62443 لعدد من المواقع الكيميائية في {c}"],
       [("publication", "Segmenting safety instrumented systems in legacy chemical plants", "Practical patterns for isolating SIS networks without stopping production."),
        ("training", "OT incident response for chemical plant engineers", "Three-day hands-on course with a simulated ammonia process."),
        ("publication", "Lessons from ransomware incidents at fertiliser producers", "Case analysis of five incidents and the controls that limited impact.")],
       [("training", "الاستجابة للحوادث السيبرانية في أنظمة التحكم الصناعي", "دورة عملية لمهندسي المصانع الكيميائية على بيئة محاكاة."),
        ("publication", "تأمين أنظمة السلامة الآلية في المصانع القديمة", "دليل عملي لعزل شبكات السلامة دون إيقاف الإنتاج.")]),
    _p("customs", ["customs-interdiction"], ["cwc-scheduled-chemicals", "dual-use-export-controls", "ports-warehouses", "transport-security", "explosives-precursor-controls", "information-sharing-ppp"],
       ["customs_border", "international_organisation"],
       ["Customs targeting officer", "Senior customs risk analyst", "Border enforcement trainer"],
       ["ضابط استهداف جمركي", "محلل أول للمخاطر الجمركية"],
       ["targeting HS chapter 28/29 precursor consignments", "risk profiling of chemical imports", "strategic trade interdiction at ports"],
       ["استهداف شحنات السلائف في الفصلين 28 و29", "تحليل مخاطر واردات المواد الكيميائية"],
       ["a national customs administration", "a regional customs intelligence liaison office", "a container control programme"],
       ["مديرية الجمارك العامة", "مكتب الاتصال الإقليمي للاستخبارات الجمركية"],
       ["built risk profiles for HS chapter 28 and 29 declarations that led to the seizure of mis-declared ammonium nitrate in {c}",
        "set up the precursor targeting desk at the main container port of {c}",
        "coordinated a regional Global Shield operation covering shipments transiting {c}",
        "trained frontline officers in {c} to spot mis-declared nitrates, chlorates and peroxides"],
       ["إعداد مؤشرات المخاطر للبيانات الجمركية في الفصلين 28 و29 مما أدى إلى ضبط شحنة نترات أمونيوم مصرح عنها بشكل خاطئ في {c}",
        "إنشاء وحدة استهداف السلائف في الميناء الرئيسي للحاويات في {c}",
        "تدريب موظفي الخطوط الأمامية في {c} على كشف النترات والكلورات والبيروكسيدات المصرح عنها بشكل خاطئ"],
       [("training", "Targeting explosives precursors in container traffic", "Two-day workshop using anonymised manifests and HS-code red flags."),
        ("publication", "Mis-declaration patterns for chapter 28 chemicals", "Analysis of seizure data showing common description and HS-code substitutions."),
        ("training", "Strategic trade controls for frontline customs officers", "Modular course on dual-use chemicals and licence verification.")],
       [("training", "استهداف سلائف المتفجرات في حركة الحاويات", "ورشة عمل تطبيقية على بيانات شحن مجهولة المصدر."),
        ("publication", "أنماط التصريح الخاطئ عن المواد الكيميائية في الفصل 28", "تحليل لبيانات الضبط وأكثر أساليب التمويه شيوعاً.")]),
    _p("forensic", ["forensic-chemistry-attribution", "lab-analysis-accreditation"], ["sampling-chain-of-custody", "post-blast-investigation", "field-detection-identification", "cwc-scheduled-chemicals"],
       ["academia_research", "law_enforcement"],
       ["Forensic chemist", "Head of chemical forensics laboratory", "Analytical chemist (CWC-related analysis)"],
       ["كيميائي جنائي", "رئيس مختبر الكيمياء الجنائية"],
       ["GC-MS attribution casework", "ISO/IEC 17025 for forensic laboratories", "impurity profiling of precursors"],
       ["قضايا الإسناد الكيميائي باستخدام GC-MS", "اعتماد المختبرات الجنائية وفق ISO/IEC 17025"],
       ["a national forensic science institute", "a university analytical chemistry department", "a police forensic laboratory"],
       ["المعهد الوطني لعلوم الأدلة الجنائية", "قسم الكيمياء التحليلية في إحدى الجامعات"],
       ["used GC-MS impurity profiling to link seized precursor batches to a single illicit supplier in {c}",
        "brought a police chemistry laboratory in {c} to ISO/IEC 17025 accreditation within 18 months",
        "took part in OPCW-style proficiency tests and designed internal quality controls for trace analysis",
        "gave expert evidence in {c} on the synthesis route of a seized toxic compound"],
       ["استخدام توصيف الشوائب بتقنية GC-MS لربط دفعات سلائف مضبوطة بمورد غير مشروع واحد في {c}",
        "قيادة مختبر كيمياء جنائية في {c} للحصول على اعتماد ISO/IEC 17025 خلال ثمانية عشر شهراً",
        "تقديم شهادة خبرة أمام المحاكم في {c} حول طريقة تصنيع مركب سام مضبوط"],
       [("publication", "Impurity profiling of technical-grade ammonium nitrate", "Method for discriminating manufacturers using trace elements and GC-MS."),
        ("publication", "Validating trace explosive residue methods under ISO/IEC 17025", "Worked example of validation parameters and uncertainty budgets."),
        ("training", "Chemical attribution for investigators", "Short course explaining what laboratories can and cannot attribute.")],
       [("publication", "التوصيف الكيميائي لنترات الأمونيوم التقنية", "طريقة للتمييز بين المنتجين باستخدام العناصر النزرة."),
        ("training", "الإسناد الكيميائي للمحققين", "دورة قصيرة حول حدود ما يمكن للمختبر إسناده.")]),
    _p("hazmat", ["first-response-hazmat", "decontamination"], ["incident-command-communication", "field-detection-identification", "exercises-planning", "tic-weaponisation"],
       ["emergency_services", "military_defence"],
       ["Hazmat commander", "CBRN response instructor", "Fire service hazmat officer"],
       ["قائد فريق المواد الخطرة", "مدرب الاستجابة للحوادث الكيميائية"],
       ["hazmat operations at industrial chemical releases", "mass decontamination and responder safety", "CBRN first response doctrine"],
       ["عمليات المواد الخطرة في التسربات الصناعية", "إزالة التلوث الجماعية وسلامة المستجيبين"],
       ["a metropolitan fire and rescue service", "a civil defence CBRN regiment", "a port fire brigade"],
       ["المديرية العامة للدفاع المدني", "فوج الحماية المدنية للمواد الخطرة"],
       ["commanded the hazmat response to a chlorine tanker leak on a highway in {c}",
        "rewrote the mass-decontamination procedures of the national fire service of {c}",
        "set up a regional hazmat training ground with live-chemical scenarios in {c}",
        "led the responder team at a warehouse fire involving oxidisers and pesticides in {c}"],
       ["قيادة الاستجابة لتسرب الكلور من صهريج على طريق سريع في {c}",
        "إعادة صياغة إجراءات إزالة التلوث الجماعية في جهاز الإطفاء الوطني في {c}",
        "قيادة فريق الاستجابة في حريق مستودع يحتوي مواد مؤكسدة ومبيدات في {c}"],
       [("training", "Hazmat operations level course for industrial fire brigades", "Five-day course covering zoning, PPE selection and detection."),
        ("publication", "Ladder-pipe decontamination: field observations", "Measured throughput and water use during large-scale exercises."),
        ("training", "CBRN awareness for first responders", "One-day awareness module delivered to police, fire and ambulance crews.")],
       [("training", "دورة عمليات المواد الخطرة لفرق الإطفاء الصناعية", "دورة من خمسة أيام حول تقسيم المناطق ومعدات الوقاية والكشف."),
        ("publication", "دروس مستفادة من حوادث تسرب الكلور", "مراجعة لحوادث تسرب الكلور وإجراءات الاستجابة الفعالة.")]),
    _p("precursor_reg", ["explosives-precursor-controls", "chemicals-of-concern"], ["supply-chain-kyc", "online-sales-monitoring", "early-warning-outreach", "cs-legislation"],
       ["regulator", "law_enforcement"],
       ["Explosives precursors policy officer", "Precursor licensing manager", "Chemical security regulator"],
       ["مسؤول سياسات سلائف المتفجرات", "مدير ترخيص السلائف"],
       ["licensing and point-of-sale controls for precursors", "implementing EU Regulation 2019/1148", "national chemicals-of-concern lists"],
       ["أنظمة الترخيص والتحقق عند البيع للسلائف", "إعداد القوائم الوطنية للمواد المثيرة للقلق"],
       ["a national precursor control authority", "a ministry of interior", "a chemical regulatory agency"],
       ["الهيئة الوطنية لمراقبة السلائف", "وزارة الداخلية"],
       ["designed the precursor licensing regime of {c}, including online applications and checks at sale",
        "set up the national suspicious-transaction reporting point for precursors in {c}",
        "ran inspection campaigns at agricultural retailers selling ammonium nitrate in {c}",
        "led the risk-ranking exercise that produced the chemicals-of-concern list of {c}"],
       ["تصميم نظام ترخيص السلائف في {c} بما في ذلك الطلبات الإلكترونية والتحقق عند البيع",
        "إنشاء نقطة الاتصال الوطنية للإبلاغ عن المعاملات المشبوهة في {c}",
        "قيادة حملات تفتيش على محلات بيع نترات الأمونيوم الزراعية في {c}"],
       [("publication", "Checks at the counter: making precursor restrictions work in retail", "Evaluation of point-of-sale controls and retailer compliance."),
        ("training", "Recognising and reporting suspicious precursor transactions", "Half-day module for retail, wholesale and online sellers."),
        ("publication", "Risk ranking chemicals of concern: a transparent method", "Scoring approach combining hazard, accessibility and misuse history.")],
       [("training", "التعرف على المعاملات المشبوهة للسلائف والإبلاغ عنها", "وحدة تدريبية لتجار التجزئة والجملة والبائعين عبر الإنترنت."),
        ("publication", "منهجية شفافة لترتيب المواد الكيميائية حسب الخطورة", "نموذج تقييم يجمع بين الخطورة وسهولة الحصول وتاريخ إساءة الاستخدام.")]),
    _p("cwc_na", ["cwc-implementation", "cwc-scheduled-chemicals"], ["cs-legislation", "dual-use-export-controls", "needs-assessment-action-plans", "chemicals-of-concern"],
       ["regulator", "international_organisation"],
       ["CWC national authority officer", "Declarations and inspections manager", "Former OPCW inspector"],
       ["مسؤول في الهيئة الوطنية لاتفاقية الأسلحة الكيميائية", "مدير الإعلانات والتفتيش"],
       ["CWC declarations and inspection escort", "national implementation of the CWC", "Schedule 2/3 transfer reporting"],
       ["إعداد إعلانات الاتفاقية ومرافقة التفتيش", "التنفيذ الوطني لاتفاقية الأسلحة الكيميائية"],
       ["a CWC national authority", "an international verification organisation", "a ministry of industry"],
       ["الهيئة الوطنية لاتفاقية الأسلحة الكيميائية", "وزارة الصناعة"],
       ["prepared the annual declarations of {c} and escorted more than twenty industry inspections",
        "rebuilt the register of Schedule 2 and 3 plant sites in {c} after a legislative reform",
        "resolved transfer discrepancies between {c} and its trading partners",
        "drafted the CWC implementing regulation adopted by {c}"],
       ["إعداد الإعلانات السنوية في {c} ومرافقة أكثر من عشرين عملية تفتيش صناعي",
        "إعادة بناء سجل مواقع مصانع الجدولين 2 و3 في {c} بعد إصلاح تشريعي",
        "صياغة اللائحة التنفيذية للاتفاقية التي اعتمدتها {c}"],
       [("training", "Preparing for an industry inspection under the CWC", "Practical course for national authorities and plant managers."),
        ("publication", "Resolving transfer discrepancies in Schedule 2 trade", "Common causes of mismatched declarations and how to fix them."),
        ("training", "Identifying scheduled chemicals in customs declarations", "Joint module with customs on CAS numbers and HS codes.")],
       [("training", "الاستعداد لعمليات التفتيش الصناعي بموجب الاتفاقية", "دورة عملية للهيئات الوطنية ومديري المصانع."),
        ("publication", "معالجة التباين في بيانات نقل مواد الجدول 2", "الأسباب الشائعة لعدم تطابق الإعلانات وسبل معالجتها.")]),
    _p("eod", ["hme-ied-precursors", "post-blast-investigation"], ["explosives-detection", "threat-assessment", "sampling-chain-of-custody", "explosives-precursor-controls"],
       ["law_enforcement", "military_defence"],
       ["Bomb disposal technician", "Counter-IED adviser", "Post-blast investigator"],
       ["فني إبطال المتفجرات", "مستشار مكافحة العبوات الناسفة"],
       ["HME and IED precursor exploitation", "post-blast scene management", "counter-IED capacity building"],
       ["المتفجرات محلية الصنع وسلائف العبوات الناسفة", "إدارة مسارح ما بعد الانفجار"],
       ["a police bomb data centre", "an army engineering corps", "a counter-IED programme"],
       ["مركز بيانات المتفجرات في الشرطة", "سلاح الهندسة العسكرية"],
       ["dismantled and exploited TATP and ANFO devices recovered in {c}",
        "led the post-blast scene examination after a market bombing in {c}",
        "set up the national bomb data centre of {c}",
        "mapped HME precursor supply routes for investigators in {c}"],
       ["تفكيك عبوات TATP وANFO المضبوطة في {c} واستغلال المعلومات المستخلصة منها",
        "قيادة معاينة مسرح ما بعد الانفجار إثر تفجير في سوق شعبي في {c}",
        "إنشاء المركز الوطني لبيانات المتفجرات في {c}"],
       [("training", "Post-blast scene examination for investigators", "Ten-day course with live detonations and evidence recovery."),
        ("publication", "HME precursor trends in recovered devices", "Trend analysis of main charges and precursors over a decade."),
        ("training", "IED awareness for customs and retailers", "Recognising precursor purchases linked to device construction.")],
       [("training", "معاينة مسارح ما بعد الانفجار للمحققين", "دورة من عشرة أيام تتضمن تفجيرات حية وجمع الأدلة."),
        ("publication", "اتجاهات سلائف المتفجرات محلية الصنع", "تحليل للشحنات الرئيسية والسلائف في العبوات المضبوطة.")]),
    _p("facility_sec", ["security-vulnerability-assessment", "physical-protection"], ["insider-threat-personnel-surety", "inventory-theft-diversion", "uas-drone-threats", "security-culture-training"],
       ["industry", "regulator"],
       ["Site security manager", "Chemical facility security consultant", "Security risk assessor"],
       ["مدير أمن المنشآت الكيميائية", "مستشار تقييم المخاطر الأمنية"],
       ["security vulnerability assessments of chemical plants", "physical protection of toxic-chemical storage", "site security plans"],
       ["تقييم الثغرات الأمنية في المصانع الكيميائية", "الحماية المادية لمخازن المواد السامة"],
       ["a multinational chemicals group", "a security engineering consultancy", "a petrochemical complex"],
       ["مجمع للبتروكيماويات", "شركة استشارات هندسية أمنية"],
       ["led security vulnerability assessments at more than thirty chemical sites in {c}",
        "redesigned the perimeter and access control of a toxic-gas storage area in {c}",
        "introduced a personnel-surety programme for contractors at a refinery in {c}",
        "wrote the drone-threat annex of a petrochemical complex's site security plan in {c}"],
       ["قيادة تقييمات الثغرات الأمنية في أكثر من ثلاثين موقعاً كيميائياً في {c}",
        "إعادة تصميم المحيط الأمني ونظام التحكم في الدخول لمنطقة تخزين غازات سامة في {c}",
        "إعداد ملحق تهديدات الطائرات المسيّرة في خطة أمن مجمع للبتروكيماويات في {c}"],
       [("publication", "A proportionate SVA method for small chemical sites", "Simplified vulnerability assessment for distributors and SMEs."),
        ("training", "Security vulnerability assessment practitioner course", "Four-day course built around a fictional chlorine repackaging site."),
        ("publication", "Contractors and the insider threat at turnarounds", "How maintenance shutdowns change insider risk.")],
       [("training", "دورة ممارسي تقييم الثغرات الأمنية", "دورة من أربعة أيام حول موقع افتراضي لإعادة تعبئة الكلور."),
        ("publication", "منهجية مبسطة لتقييم الثغرات في المواقع الصغيرة", "دليل للموزعين والمنشآت الصغيرة والمتوسطة.")]),
    _p("investigator", ["chemical-crime-investigation", "online-sales-monitoring"], ["prosecution-international-cooperation", "bec-fraud-chemical-trade", "information-sharing-ppp", "supply-chain-kyc"],
       ["law_enforcement", "international_organisation"],
       ["Detective inspector, chemical crime", "Cybercrime investigator", "Financial and online investigations specialist"],
       ["محقق في الجرائم الكيميائية", "محقق في الجرائم الإلكترونية"],
       ["investigating illicit precursor acquisition", "online marketplace and dark-web investigations", "BEC fraud against chemical suppliers"],
       ["التحقيق في الحصول غير المشروع على السلائف", "تحقيقات الأسواق الإلكترونية والإنترنت المظلم"],
       ["a national police cybercrime unit", "a counter-terrorism investigation command", "an international police cooperation office"],
       ["وحدة مكافحة الجرائم الإلكترونية", "إدارة التحقيقات في قضايا الإرهاب"],
       ["ran a covert online-purchase operation that identified a vendor shipping potassium chlorate from {c}",
        "traced a BEC scheme in which fraudsters ordered solvents in the name of a hospital in {c}",
        "coordinated a joint investigation team on precursor diversion between {c} and two neighbours",
        "set up marketplace takedown procedures with e-commerce platforms operating in {c}"],
       ["إدارة عملية شراء سرية عبر الإنترنت كشفت عن بائع يشحن كلورات البوتاسيوم من {c}",
        "تتبع مخطط احتيال عبر البريد الإلكتروني طلب فيه المحتالون مذيبات باسم مستشفى في {c}",
        "تنسيق فريق تحقيق مشترك حول تحويل السلائف بين {c} ودولتين مجاورتين"],
       [("training", "Online investigations into precursor sales", "Course on OSINT, test purchases and platform cooperation."),
        ("publication", "Fake purchase orders in the chemical trade", "Typology of BEC schemes seen by distributors and how to verify orders."),
        ("training", "Building a chemical crime case file", "From first report to prosecution, with a focus on evidence from abroad.")],
       [("training", "التحقيقات الإلكترونية في بيع السلائف", "دورة حول المصادر المفتوحة وعمليات الشراء الاختبارية."),
        ("publication", "أوامر الشراء المزورة في تجارة المواد الكيميائية", "تصنيف لأساليب الاحتيال وطرق التحقق من الطلبات.")]),
    _p("stewardship", ["supply-chain-kyc", "inventory-theft-diversion"], ["bec-fraud-chemical-trade", "transport-security", "information-sharing-ppp", "security-culture-training", "ports-warehouses"],
       ["industry"],
       ["Product stewardship manager", "Distribution security lead", "Responsible Care coordinator"],
       ["مدير الإشراف على المنتجات", "مسؤول أمن التوزيع"],
       ["know-your-customer checks for chemical distributors", "suspicious-order screening", "secure chemical logistics"],
       ["برامج اعرف عميلك لموزعي المواد الكيميائية", "فحص الطلبات المشبوهة"],
       ["a chemical distribution company", "a national chemical industry association", "a logistics provider for dangerous goods"],
       ["شركة لتوزيع المواد الكيميائية", "الاتحاد الوطني للصناعات الكيميائية"],
       ["introduced know-your-customer screening across a distributor's branches in {c}, cutting unverified sales to zero",
        "set up the industry suspicious-order reporting line with police in {c}",
        "reconciled inventory losses of hydrogen peroxide at depots in {c} and closed the diversion route",
        "wrote the dangerous-goods security plan for a road haulier in {c}"],
       ["تطبيق فحص اعرف عميلك في جميع فروع موزع للمواد الكيميائية في {c}",
        "إنشاء خط الإبلاغ عن الطلبات المشبوهة بالتعاون مع الشرطة في {c}",
        "مطابقة فاقد بيروكسيد الهيدروجين في مستودعات {c} وإغلاق مسار التحويل"],
       [("publication", "Know your customer for chemical distributors: a practical guide", "Step-by-step checks, red flags and record keeping."),
        ("training", "Spotting suspicious orders", "Role-play based training for sales and customer service staff."),
        ("publication", "Securing the last mile of chemical deliveries", "Controls for couriers, drop-offs and collection points.")],
       [("publication", "دليل عملي لبرامج اعرف عميلك", "خطوات التحقق والمؤشرات التحذيرية وحفظ السجلات."),
        ("training", "اكتشاف الطلبات المشبوهة", "تدريب قائم على لعب الأدوار لموظفي المبيعات.")]),
    _p("lab_sec", ["laboratory-chemical-security", "security-culture-training"], ["ai-emerging-tech", "chemicals-of-concern", "inventory-theft-diversion", "lab-analysis-accreditation"],
       ["academia_research"],
       ["Chemical safety and security officer", "Professor of chemistry", "Laboratory biosafety and chemical security lead"],
       ["مسؤول السلامة والأمن الكيميائي", "أستاذ الكيمياء"],
       ["chemical security in university laboratories", "security culture among scientists", "responsible science and emerging technologies"],
       ["الأمن الكيميائي في المختبرات الجامعية", "ثقافة الأمن لدى العلماء"],
       ["a research university", "a teaching hospital", "a national academy of sciences"],
       ["جامعة بحثية", "مستشفى جامعي"],
       ["introduced a chemical inventory system covering 400 laboratories at a university in {c}",
        "ran security-culture workshops for postgraduate chemists across {c}",
        "advised a funding agency in {c} on screening AI-assisted chemistry projects for misuse risk",
        "cleared legacy stocks of unlabelled toxic reagents from teaching laboratories in {c}"],
       ["إدخال نظام لجرد المواد الكيميائية يغطي أربعمئة مختبر في إحدى جامعات {c}",
        "تنظيم ورش عمل حول ثقافة الأمن لطلبة الدراسات العليا في الكيمياء في {c}",
        "التخلص من مخزونات قديمة لكواشف سامة غير موسومة في المختبرات التعليمية في {c}"],
       [("publication", "Chemical security in academic laboratories: what works", "Survey of controls adopted by forty universities."),
        ("training", "Responsible chemistry for early-career researchers", "Workshop on dual-use awareness and AI-assisted design."),
        ("publication", "Generative models and toxic compound design: a risk review", "Assessment of misuse pathways and proportionate safeguards.")],
       [("training", "الكيمياء المسؤولة للباحثين الشباب", "ورشة حول الاستخدام المزدوج والتصميم بمساعدة الذكاء الاصطناعي."),
        ("publication", "الأمن الكيميائي في المختبرات الجامعية", "مسح للضوابط المطبقة في عدد من الجامعات العربية.")]),
    _p("medical", ["medical-countermeasures"], ["decontamination", "exercises-planning", "tic-weaponisation", "incident-command-communication"],
       ["emergency_services", "academia_research", "military_defence"],
       ["Emergency physician and clinical toxicologist", "Poison centre director", "Hospital CBRN preparedness lead"],
       ["طبيب طوارئ وأخصائي سموم سريرية", "مدير مركز السموم"],
       ["clinical management of chemical casualties", "hospital preparedness for mass-casualty chemical events", "antidote stockpile planning"],
       ["العلاج السريري لمصابي الحوادث الكيميائية", "تأهب المستشفيات للإصابات الجماعية"],
       ["a university hospital emergency department", "a national poison centre", "a military medical service"],
       ["قسم الطوارئ في مستشفى جامعي", "المركز الوطني للسموم"],
       ["treated casualties of an organophosphate poisoning cluster in {c} and wrote the national treatment protocol",
        "sized the national antidote stockpile of {c} for atropine, oximes and hydroxocobalamin",
        "set up hospital decontamination at the entrance of the largest emergency department in {c}",
        "trained triage teams in {c} to recognise toxidromes in a mass-casualty event"],
       ["علاج مصابي حالات تسمم بالمركبات الفوسفورية العضوية في {c} وإعداد بروتوكول العلاج الوطني",
        "تحديد حجم المخزون الوطني من الترياقات في {c}",
        "تدريب فرق الفرز في {c} على التعرف على المتلازمات السمية في الحوادث الجماعية"],
       [("publication", "Toxidrome recognition in mass-casualty chemical events", "Pocket algorithm for triage officers."),
        ("training", "Hospital chemical incident preparedness", "Course for emergency departments covering decontamination and antidotes."),
        ("publication", "Sizing antidote stockpiles for chemical incidents", "Planning model linking scenarios to stock levels.")],
       [("training", "تأهب المستشفيات للحوادث الكيميائية", "دورة لأقسام الطوارئ حول إزالة التلوث والترياقات."),
        ("publication", "التعرف على المتلازمات السمية في الحوادث الجماعية", "خوارزمية مختصرة لفرق الفرز.")]),
    _p("planner", ["exercises-planning", "incident-command-communication"], ["remediation-recovery", "first-response-hazmat", "needs-assessment-action-plans", "threat-assessment"],
       ["emergency_services", "international_organisation", "regulator"],
       ["Emergency planning officer", "Exercise designer", "Crisis management adviser"],
       ["مسؤول التخطيط للطوارئ", "مصمم التمارين"],
       ["designing chemical-incident exercises", "multi-agency incident command", "recovery planning after chemical releases"],
       ["تصميم تمارين الحوادث الكيميائية", "قيادة الحوادث متعددة الجهات"],
       ["a national civil protection agency", "a city emergency management office", "a regional CBRN centre of excellence"],
       ["الهيئة الوطنية لإدارة الطوارئ والأزمات", "مركز التميز الإقليمي"],
       ["designed a full-scale exercise in {c} simulating a toxic release at a port chemical terminal",
        "wrote the multi-agency chemical-incident plan for the capital region of {c}",
        "led the recovery cell after a fertiliser warehouse fire in {c}",
        "facilitated a cross-border tabletop exercise on a chlorine attack involving {c}"],
       ["تصميم تمرين ميداني شامل في {c} يحاكي تسرباً ساماً في محطة كيميائية بالميناء",
        "إعداد خطة الاستجابة متعددة الجهات للحوادث الكيميائية في العاصمة في {c}",
        "تيسير تمرين محاكاة نظري عابر للحدود حول هجوم بالكلور بمشاركة {c}"],
       [("training", "Designing chemical-incident exercises", "Course following HSEEP-style design, conduct and evaluation."),
        ("publication", "After-action lessons from chemical exercises", "Recurring findings from twenty exercises and how to fix them."),
        ("training", "Risk communication during chemical incidents", "Workshop for spokespeople and emergency managers.")],
       [("training", "تصميم تمارين الحوادث الكيميائية", "دورة حول تصميم التمارين وتنفيذها وتقييمها."),
        ("publication", "دروس مستفادة من تمارين الحوادث الكيميائية", "النتائج المتكررة في عشرين تمريناً وسبل معالجتها.")]),
    _p("detection", ["field-detection-identification", "explosives-detection"], ["sampling-chain-of-custody", "lab-analysis-accreditation", "first-response-hazmat", "customs-interdiction"],
       ["law_enforcement", "customs_border", "academia_research"],
       ["Detection equipment specialist", "Field analytical chemist", "Screening technology adviser"],
       ["أخصائي أجهزة الكشف", "كيميائي تحليلي ميداني"],
       ["handheld Raman, FTIR and IMS in the field", "explosives trace detection at borders", "detection equipment selection and testing"],
       ["استخدام أجهزة رامان وFTIR ومطياف حركية الأيونات ميدانياً", "كشف آثار المتفجرات على الحدود"],
       ["a national detection equipment test centre", "a border guard technical service", "a security technology institute"],
       ["مركز اختبار أجهزة الكشف", "الإدارة الفنية لحرس الحدود"],
       ["evaluated handheld Raman and FTIR identifiers for the border service of {c}",
        "wrote the field-identification procedures used by hazmat and customs teams in {c}",
        "deployed explosives trace detection at land crossings in {c} and trained the operators",
        "built a reference spectra library of locally sold precursors in {c}"],
       ["تقييم أجهزة رامان وFTIR المحمولة لصالح إدارة الحدود في {c}",
        "إعداد إجراءات التعرف الميداني التي تعتمدها فرق المواد الخطرة والجمارك في {c}",
        "إنشاء مكتبة أطياف مرجعية للسلائف المتداولة محلياً في {c}"],
       [("publication", "Handheld Raman versus FTIR for precursor identification", "Comparative field trial with common mixtures and packaging."),
        ("training", "Field identification of unknown chemicals", "Two-day practical course with handheld instruments."),
        ("publication", "Managing false alarms in explosives trace detection", "Operational guidance for checkpoints.")],
       [("training", "التعرف الميداني على المواد الكيميائية المجهولة", "دورة عملية لمدة يومين على الأجهزة المحمولة."),
        ("publication", "مقارنة بين أجهزة رامان وFTIR في التعرف على السلائف", "تجربة ميدانية على الخلائط الشائعة.")]),
    _p("threat", ["threat-assessment", "ai-emerging-tech"], ["uas-drone-threats", "tic-weaponisation", "early-warning-outreach", "information-sharing-ppp"],
       ["law_enforcement", "academia_research", "international_organisation"],
       ["CBRN threat analyst", "Senior research fellow, chemical terrorism", "Horizon-scanning analyst"],
       ["محلل تهديدات كيميائية", "باحث أول في الإرهاب الكيميائي"],
       ["chemical terrorism threat assessment", "emerging technologies and chemical risk", "drone threats to chemical infrastructure"],
       ["تقييم تهديدات الإرهاب الكيميائي", "التقنيات الناشئة والمخاطر الكيميائية"],
       ["a national threat assessment centre", "a security studies institute", "a counter-terrorism coordination office"],
       ["المركز الوطني لتقييم التهديدات", "معهد للدراسات الأمنية"],
       ["authored the national chemical threat assessment of {c}",
        "analysed chlorine use in attacks and briefed decision-makers in {c} on protective measures",
        "assessed drone incursions over chemical plants and proposed counter-UAS rules in {c}",
        "led a study in {c} on whether AI tools lower barriers to toxic compound synthesis"],
       ["إعداد التقييم الوطني للتهديدات الكيميائية في {c}",
        "تحليل استخدام الكلور في الهجمات وإحاطة صناع القرار في {c} بتدابير الحماية",
        "تقييم حالات تحليق الطائرات المسيّرة فوق المصانع الكيميائية واقتراح قواعد للتصدي لها في {c}"],
       [("publication", "Chlorine as a weapon: patterns and protective measures", "Open-source analysis of incidents and implications for industry."),
        ("publication", "AI-assisted chemistry and misuse: separating hype from risk", "Policy paper on proportionate safeguards."),
        ("training", "Structured analytic techniques for CBRN threat assessment", "Course for analysts in police and intelligence services.")],
       [("publication", "الكلور كسلاح: الأنماط وتدابير الحماية", "تحليل من المصادر المفتوحة وانعكاساته على الصناعة."),
        ("training", "تقنيات التحليل المنهجي لتقييم التهديدات", "دورة للمحللين في أجهزة الشرطة.")]),
    _p("legal", ["cs-legislation", "prosecution-international-cooperation"], ["dual-use-export-controls", "cwc-implementation", "needs-assessment-action-plans", "explosives-precursor-controls"],
       ["regulator", "international_organisation", "law_enforcement"],
       ["Legal adviser, non-proliferation", "Prosecutor, terrorism and serious crime", "Legislative drafting expert"],
       ["مستشار قانوني في مجال عدم الانتشار", "مدعٍ عام في قضايا الإرهاب"],
       ["UNSCR 1540 legislation and penal provisions", "mutual legal assistance in chemical cases", "CWC implementing legislation"],
       ["تشريعات تنفيذ القرار 1540 والأحكام الجزائية", "المساعدة القانونية المتبادلة في القضايا الكيميائية"],
       ["a ministry of justice", "a public prosecution service", "an international legal assistance programme"],
       ["وزارة العدل", "النيابة العامة"],
       ["drafted the chemical-security chapter of the counter-terrorism law of {c}",
        "prosecuted a case of illegal possession of toxic chemicals in {c}",
        "reviewed the legal framework of {c} against UNSCR 1540 obligations",
        "used mutual legal assistance to obtain foreign e-commerce records in a precursor case in {c}"],
       ["صياغة الفصل الخاص بالأمن الكيميائي في قانون مكافحة الإرهاب في {c}",
        "مراجعة الإطار القانوني في {c} في ضوء التزامات القرار 1540",
        "استخدام المساعدة القانونية المتبادلة للحصول على سجلات تجارة إلكترونية أجنبية في قضية سلائف في {c}"],
       [("publication", "Penal provisions for chemical offences: a comparative review", "Analysis of thirty national laws against UNSCR 1540 obligations."),
        ("training", "Prosecuting chemical security offences", "Workshop for prosecutors and judges."),
        ("publication", "Model provisions for precursor controls", "Annotated legislative text for adaptation by states.")],
       [("publication", "الأحكام الجزائية للجرائم الكيميائية: دراسة مقارنة", "تحليل لعدد من القوانين الوطنية في ضوء القرار 1540."),
        ("training", "الملاحقة القضائية في جرائم الأمن الكيميائي", "ورشة عمل للمدعين العامين والقضاة.")]),
    _p("ports", ["ports-warehouses", "transport-security"], ["physical-protection", "customs-interdiction", "remediation-recovery", "inventory-theft-diversion"],
       ["customs_border", "regulator", "industry"],
       ["Port facility security officer", "Dangerous goods inspector", "Terminal safety and security manager"],
       ["ضابط أمن المرفق المينائي", "مفتش البضائع الخطرة"],
       ["bulk chemical storage at ports", "dangerous goods in transit", "abandoned and long-stored hazardous cargo"],
       ["تخزين المواد الكيميائية السائبة في الموانئ", "البضائع الخطرة أثناء النقل"],
       ["a port authority", "a bulk liquid terminal operator", "a maritime administration"],
       ["سلطة الموانئ", "مشغل محطة سوائل سائبة"],
       ["ran the inventory of long-stored hazardous cargo at the main port of {c} and cleared abandoned ammonium nitrate",
        "wrote the dangerous-goods segregation and security rules for free-zone warehouses in {c}",
        "inspected bulk chemical tank farms at terminals across {c}",
        "led the ISPS security assessment of a chemical terminal in {c}"],
       ["حصر البضائع الخطرة المخزنة لفترات طويلة في الميناء الرئيسي في {c} والتخلص من شحنات نترات الأمونيوم المهجورة",
        "إعداد قواعد الفصل والأمن للبضائع الخطرة في مستودعات المنطقة الحرة في {c}",
        "تفتيش مزارع الخزانات الكيميائية في محطات {c}"],
       [("publication", "Abandoned hazardous cargo in ports: finding and fixing it", "Method for port-wide inventories after Beirut 2020."),
        ("training", "Dangerous goods security for port staff", "Course on segregation, access control and inspections."),
        ("publication", "Free zones and chemical security", "Governance gaps in free-zone storage and how regulators can close them.")],
       [("publication", "البضائع الخطرة المهجورة في الموانئ", "منهجية لحصر البضائع الخطرة بعد انفجار مرفأ بيروت."),
        ("training", "أمن البضائع الخطرة للعاملين في الموانئ", "دورة حول الفصل والتحكم في الدخول والتفتيش.")]),
    _p("capacity", ["needs-assessment-action-plans"], ["cs-legislation", "security-culture-training", "exercises-planning", "information-sharing-ppp", "threat-assessment"],
       ["international_organisation", "academia_research"],
       ["Capacity-building programme manager", "Chemical security adviser", "Technical assistance coordinator"],
       ["مدير برامج بناء القدرات", "مستشار الأمن الكيميائي"],
       ["national needs assessments and action plans", "designing sustainable assistance programmes", "monitoring and evaluation of capacity building"],
       ["تقييم الاحتياجات الوطنية وخطط العمل", "تصميم برامج مساعدة مستدامة"],
       ["an international technical assistance programme", "a regional CBRN centre of excellence", "a development agency"],
       ["برنامج دولي للمساعدة الفنية", "مركز تميز إقليمي"],
       ["facilitated the national chemical-security needs assessment of {c} with eleven agencies",
        "wrote the national CBRN action plan of {c} and its monitoring framework",
        "managed a multi-year assistance programme for customs and police in {c}",
        "evaluated the sustainability of training delivered in {c} over five years"],
       ["تيسير تقييم الاحتياجات الوطنية في مجال الأمن الكيميائي في {c} بمشاركة إحدى عشرة جهة",
        "إعداد خطة العمل الوطنية للمواد الكيميائية والبيولوجية والإشعاعية والنووية في {c} وإطار متابعتها",
        "إدارة برنامج مساعدة متعدد السنوات للجمارك والشرطة في {c}"],
       [("publication", "From needs assessment to action plan", "Guide for national focal points."),
        ("training", "Monitoring and evaluating capacity building", "Course on indicators, baselines and follow-up."),
        ("publication", "What makes chemical-security training stick", "Five-year follow-up of trainees in three regions.")],
       [("publication", "من تقييم الاحتياجات إلى خطة العمل", "دليل لنقاط الاتصال الوطنية."),
        ("training", "متابعة برامج بناء القدرات وتقييمها", "دورة حول المؤشرات وخطوط الأساس والمتابعة.")]),
]


# ---------------------------------------------------------------------------------------------
# Generator helpers
# ---------------------------------------------------------------------------------------------
_FEM_AR = {"مهندس": "مهندسة", "خبير": "خبيرة", "ضابط": "ضابطة", "محلل": "محللة", "كيميائي": "كيميائية",
           "رئيس": "رئيسة", "قائد": "قائدة", "مدرب": "مدربة", "مسؤول": "مسؤولة", "مدير": "مديرة", "فني": "فنية",
           "مستشار": "مستشارة", "محقق": "محققة", "أخصائي": "أخصائية", "طبيب": "طبيبة", "باحث": "باحثة",
           "مصمم": "مصممة", "أستاذ": "أستاذة", "مفتش": "مفتشة", "مدعٍ": "مدعية"}
_FREE_DOMAINS = ["mail.example", "expertmail.example", "consulting.example", "research.example"]


def _fem_ar(title: str, female: bool) -> str:
    if not female:
        return title
    words = title.split(" ")
    words[0] = _FEM_AR.get(words[0], words[0])
    return " ".join("أولى" if w == "أول" else w for w in words)


def _lc(title: str) -> str:
    first = title.split(" ")[0]
    return title if first.isupper() or "/" in first else title[0].lower() + title[1:]


def _a(phrase: str) -> str:
    first = phrase.split(" ")[0]
    vowel = phrase[0].lower() in "aeiou" or first in ("OT", "ICS", "HSE", "OT/ICS")
    return ("an " if vowel else "a ") + phrase


def _employer(phrase: str, country: str) -> str:
    for art in ("a ", "an ", "the "):
        if phrase.startswith(art):
            phrase = phrase[len(art):]
    return f"{phrase[0].upper()}{phrase[1:]} ({country})"


def _join(items: list[str], ar: bool = False) -> str:
    if len(items) <= 1:
        return "".join(items)
    if ar:
        return " و".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _ascii(text: str) -> str:
    import unicodedata
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(ch if ch.isalnum() else "." for ch in text).strip(".").replace("..", ".")


def _sentence(text: str, arabic: bool) -> str:
    if arabic:
        return text + "."
    return (text[0].upper() + text[1:] if not text.split(" ")[0].isupper() else text) + "."


def _cname(code: str) -> str:
    return COUNTRIES[code][0]


def _expert(rng: random.Random, arabic: bool, vetting: str, used_emails: set, used_names: set) -> dict:
    orgs = organisations()
    home = rng.choice(ARAB_COUNTRIES[:6] * 2 + ARAB_COUNTRIES) if arabic else \
        rng.choices(list(HOME_WEIGHTS), weights=list(HOME_WEIGHTS.values()))[0]
    _, _, region, pool, native = COUNTRIES[home]
    persona = rng.choice(PERSONAS)
    female = rng.random() < 0.42
    for _attempt in range(30):
        males, females, surnames = NAMES[pool]
        first, last = rng.choice(females if female else males), rng.choice(surnames)
        if pool == "ar":
            latin, display = f"{first[0]} {last[0]}", (f"{first[1]} {last[1]}" if arabic else f"{first[0]} {last[0]}")
        else:
            if pool == "ru" and female and last.endswith(("ov", "ev")):
                last += "a"
            latin = display = f"{first} {last}"
        if display not in used_names:
            break
    used_names.add(display)

    # Topics: 1-2 primary at a high level, 1-3 secondary.
    prim = rng.sample(persona["primary"], rng.randint(1, len(persona["primary"])))
    sec = rng.sample(persona["secondary"], rng.randint(1, 3))
    topics = [[t, "expert" if rng.random() < 0.7 else "practitioner"] for t in prim]
    topics += [[t, rng.choice(["practitioner", "practitioner", "awareness", "expert"])] for t in sec]
    topics = topics[:5]

    # Where they have worked.
    same_region = [c for c, v in COUNTRIES.items() if v[2] == region and c != home]
    others = [c for c in COUNTRIES if c != home]
    countries = [home]
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
        c = rng.choice(same_region if (same_region and rng.random() < 0.6) else others)
        if c not in countries:
            countries.append(c)
    regions = list(dict.fromkeys(COUNTRIES[c][2] for c in countries))

    # Affiliation: a member organisation, a described employer, or independent.
    organisation = None
    fits = [o for o in orgs if o["kind"] in persona["kinds"]]
    local = [o for o in fits if o["country"] == home] or [o for o in fits if COUNTRIES[o["country"]][2] == region]
    roll = rng.random()
    if fits and roll < 0.4:
        organisation = rng.choice(local if (local and rng.random() < 0.75) else fits)["name"]
        affiliation = organisation
    elif roll < 0.55:
        affiliation = "مستشار مستقل" if arabic else "Independent consultant"
    elif arabic:
        affiliation = f"{rng.choice(persona['employers_ar'])} – {COUNTRIES[home][1]}"
    else:
        affiliation = _employer(rng.choice(persona["employers"]), _cname(home).removeprefix("the "))

    years = rng.randint(11, 32) if arabic else rng.randint(6, 32)
    feat_idx = rng.sample(range(len(persona["feats_ar" if arabic else "feats"])), 3 if not arabic else 2)
    feat_cs = [home if rng.random() < 0.65 or len(countries) == 1 else rng.choice(countries[1:]) for _ in feat_idx]
    skill = [SKILLS[t][1 if arabic else 0] for t, _ in topics]
    domain = _DOMAIN[organisation] if organisation else rng.choice(_FREE_DOMAINS)
    email = f"{_ascii(latin)}@{domain}"
    n = 2
    while email in used_emails:
        email = f"{_ascii(latin)}{n}@{domain}"
        n += 1
    used_emails.add(email)

    if arabic:
        feats = [persona["feats_ar"][i].format(c=COUNTRIES[c][1]) for i, c in zip(feat_idx, feat_cs)]
        title = _fem_ar(rng.choice(persona["titles_ar"]), female)
        headline = f"{title} – {rng.choice(persona['focus_ar'])}"
        verb = ("تتمتع", "تعمل", "أعمالها", "عملت") if female else ("يتمتع", "يعمل", "أعماله", "عمل")
        where = "بصفة مستشار مستقل" if affiliation == "مستشار مستقل" else f"لدى {affiliation}"
        if female and affiliation == "مستشار مستقل":
            where = "بصفة مستشارة مستقلة"
        biography = (f"{display}، {title}، {verb[0]} بخبرة تمتد لأكثر من {years} عاماً، و{verb[1]} حالياً {where}. "
                     f"ومن أبرز {verb[2]}: {feats[0]}، و{feats[1]}. "
                     f"{verb[3]} في {_join([COUNTRIES[c][1] for c in countries], ar=True)}.")
        statement = f"تتركز خبرتي في {skill[0]}"
        if len(skill) > 1:
            statement += f"، كما أعمل في مجال {skill[1]}"
        if len(skill) > 2:
            statement += f"، إضافة إلى {skill[2]}"
        statement += "."
        if len(skill) > 3:
            statement += f" ولدي معرفة عملية في مجال {_join(skill[3:], ar=True)}."
        statement += f" ومن أبرز ما أنجزته: {feats[0]}."
        statement += rng.choice(["", " أستطيع تقديم المشورة عن بعد ومراجعة الوثائق والمشاركة في البعثات الميدانية.",
                                 " أفضل العمل الميداني وورش العمل التطبيقية.", " أعمل باللغتين العربية والإنجليزية."])
        roles, employers, pubs = persona["titles_ar"], persona["employers_ar"], persona["pubs_ar"]
    else:
        feats = [persona["feats"][i].format(c=_cname(c)) for i, c in zip(feat_idx, feat_cs)]
        title = rng.choice(persona["titles"])
        headline = f"{title} · {rng.choice(persona['focus'])}"
        pron = "She" if female else "He"
        if affiliation == "Independent consultant":
            now = ", now working as an independent consultant"
        else:
            now = f", currently with {affiliation}"
        biography = (f"{display} is {_a(_lc(title))} with {years} years of experience{now}. "
                     f"{pron} {feats[0]}, and {feats[1]}. "
                     f"{pron} has worked in {_join([_cname(c) for c in countries])}.")
        statement = f"My core expertise is {skill[0]}."
        if len(skill) > 1:
            statement += f" I also work on {skill[1]}" + (f", as well as {skill[2]}." if len(skill) > 2 else ".")
        if len(skill) > 3:
            statement += f" I have working knowledge of {'; and '.join(skill[3:])}."
        statement += f" Most recently I {feats[2]}."
        statement += rng.choice(["", " I can support remote advice, document review and on-site missions.",
                                 " I prefer hands-on missions and workshops to desk reviews.",
                                 " I have delivered training through interpreters and am used to mixed-agency groups."])
        roles, employers, pubs = persona["titles"], persona["employers"], persona["pubs"]

    # Career history, newest first.
    start = 2026 - rng.randint(1, min(years, 9))
    role, org_now = title, affiliation
    if affiliation in ("Independent consultant", "مستشار مستقل"):
        role = ("مستشارة مستقلة" if female else "مستشار مستقل") if arabic else "Independent consultant"
        org_now = "عمل مستقل" if arabic else "Self-employed"
    experiences = [{"role": role, "organisation": org_now, "start_year": start, "end_year": None,
                    "description": _sentence(feats[0], arabic)}]
    for _ in range(max(rng.randint(0, 3), int(role != title))):
        if start - 4 < 2026 - years:
            break
        end, start = start, start - rng.randint(3, 8)
        emp = employers[len(experiences) % len(employers)]
        role = rng.choice([r for r in roles if r != experiences[-1]["role"]] or roles)
        experiences.append({
            "role": _fem_ar(role, female) if arabic else role,
            "organisation": f"{emp} – {COUNTRIES[home][1]}" if arabic else _employer(emp, _cname(home).removeprefix("the ")),
            "start_year": start, "end_year": end,
            "description": _sentence(feats[1] if len(experiences) == 1 else skill[-len(experiences) % len(skill)], arabic),
        })
    publications = [{"kind": k, "title": t, "year": rng.randint(max(2008, 2026 - years), 2026), "summary": s}
                    for k, t, s in rng.sample(pubs, min(len(pubs), rng.choice([0, 1, 1, 2, 2, 3, 4])))]
    publications.sort(key=lambda p: -p["year"])

    languages = [[native[0], "native"]] + [[code, "fluent"] for code in native[1:]]
    if "en" not in native:
        languages.append(["en", rng.choice(["fluent", "fluent", "working", "basic" if arabic else "working"])])
    if rng.random() < 0.25:
        extra = rng.choice([c for c in ("fr", "es", "ar", "ru", "de", "pt") if c not in native])
        languages.append([extra, rng.choice(["basic", "working"])])

    availability = rng.choices(["available", "limited", "unavailable"], weights=[72, 20, 8])[0]
    until = None
    if availability == "unavailable" or (availability == "limited" and rng.random() < 0.3):
        until = f"2027-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"
    conflict_orgs, conflict_countries = [], []
    if rng.random() < 0.1:
        pick = rng.choice([o["name"] for o in orgs if o["name"] != organisation])
        conflict_orgs.append(pick)
    if rng.random() < 0.06:
        conflict_countries.append(rng.choice(others))

    return {
        "email": email, "full_name": display, "locale": "ar" if arabic else "en",
        "affiliation": affiliation, "organisation": organisation, "headline": headline[:200],
        "biography": biography, "expertise_statement": statement, "topics": topics,
        "experiences": experiences, "publications": publications, "languages": languages,
        "countries": countries, "regions": regions, "willing_to_travel": rng.random() < 0.75,
        "capacity": rng.choice([1, 2, 2, 2, 3, 3, 4]), "availability": availability, "unavailable_until": until,
        "conflict_organisations": conflict_orgs, "conflict_countries": conflict_countries, "vetting": vetting,
        "application_note": "", "vetting_reason": "",
    }


_APPLICATION_NOTES = [
    "Referred by the national focal point; references from two former supervisors attached.",
    "Applied after attending the regional workshop; requests to be considered for Arabic-language missions.",
    "Self-nominated; employer's permission to undertake missions still to be confirmed.",
    "Nominated by a member agency; security clearance certificate pending renewal.",
    "Applied through the network website; publication list provided.",
]
_REJECTION_REASONS = [
    "Declared experience could not be verified with the referees provided.",
    "Profile describes sales of detection equipment rather than independent technical expertise; conflict of interest.",
]


def experts(n: int = 200, seed: int = 7) -> list[dict]:
    """n vetted experts (about 15% with Arabic profiles), then 5 pending and 2 rejected applicants."""
    rng = random.Random(seed)
    used_emails = {c["email"] for c in coordinators()} | {m["email"] for m in members()}
    used_names: set = set()
    out = [_expert(rng, i % 20 in (3, 9, 16), "approved", used_emails, used_names) for i in range(n)]
    for i, note in enumerate(_APPLICATION_NOTES):
        e = _expert(rng, i == 1, "pending", used_emails, used_names)
        e["application_note"] = note
        out.append(e)
    for reason in _REJECTION_REASONS:
        e = _expert(rng, False, "rejected", used_emails, used_names)
        e["vetting_reason"] = reason
        out.append(e)
    return _distinct_headlines(out)


def _distinct_headlines(people: list[dict]) -> list[dict]:
    """No twin experts in the directory: a headline already taken says where the expert works (then for whom);
    done after drawing, so every other field stays as the seed made it."""
    taken: set[str] = set()
    for person in people:
        headline = person["headline"]
        if headline in taken:
            arabic = person["locale"] == "ar"
            where = COUNTRIES[person["countries"][0]][1 if arabic else 0].removeprefix("the ")
            for candidate in (f"{headline} – {where}" if arabic else f"{headline}, {where}",
                              f"{headline} ({person['affiliation']})"):
                if candidate[:200] not in taken:
                    headline = candidate[:200]
                    break
            else:
                headline = f"{headline[:190]} ({len(taken)})"
        person["headline"] = headline
        taken.add(headline)
    return people


def _load(name: str) -> dict:
    with open(Path(__file__).with_name(name), encoding="utf-8") as fh:
        return json.load(fh)


def requests() -> list[dict]:
    """Technical-assistance requests at every lifecycle stage (see requests.json)."""
    return _load("requests.json")["requests"]


def messages() -> list[dict]:
    """Short conversation snippets attached to requests by title."""
    return _load("requests.json")["messages"]
