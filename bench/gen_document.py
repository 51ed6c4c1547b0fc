#!/usr/bin/python3
"""Write a large, valid, canonical podium-program/1 document for the
import/export benchmark.

    /usr/bin/python3 bench/gen_document.py [OUT.json]

Writes to OUT.json (or standard output) and prints the record counts to
standard error.  Deterministic: random.Random(42), no clock, no set
iteration, so the bytes are the same on every run (given the same tz
database: every date is in the past, so tzdata updates should not move them).

The document follows every rule of docs/exchange-format.md and is in
canonical form (fields in the documented order, every instant written with
the program zone's offset at that instant, no empty arrays, no missing-value
placeholders), so `jq -S .` of it must equal `jq -S .` of `podium export`
after importing it into an empty database.

Besides volume it carries the cases an importer tends to get wrong, all of
them valid:
  * zones with DST (northern and southern), half- and quarter-hour offsets
    (Asia/Kolkata, Asia/Kathmandu, Australia/Lord_Howe's 30-minute DST,
    Pacific/Chatham +12:45/+13:45, America/St_Johns), +14:00 and -11:00,
    zero offsets (written +00:00), and links (US/Eastern, Asia/Calcutta);
  * sessions across a DST change, sessions inside the repeated hour whose
    end reads earlier on the wall clock than their start, sessions starting
    at 00:00 of starts_on or ending at 24:00 of ends_on, sessions on a day
    that is a different date in UTC;
  * text in many scripts (CJK incl. a non-BMP ideograph, Arabic, Hebrew,
    Devanagari, Thai, Cyrillic, Greek, accented Latin, emoji incl. ZWJ
    sequences, combining marks), quotes and backslashes, tabs and newlines
    where they are allowed, some records written with \\u escapes;
  * names and titles at their maximum length in code points, a
    description of exactly 10,000 code points, a body_markdown of ~150,000;
  * keys of 64 characters and keys starting with a digit; venue, session
    and photo keys reused across programs/articles (their scope is local);
  * organizations whose parent comes later in the document;
  * on_behalf_of as a reference and as free text;
  * capacity equal to the number of confirmed participants.
"""

import datetime as dt
import json
import random
import re
import sys
import unicodedata
import zoneinfo

SEED = 42
N_ORGS = 1500
N_PEOPLE = 20000
N_PROGRAMS = 500
SESSIONS_PER_PROGRAM = 40
ENROLMENTS_PER_PROGRAM = 40
ARTICLES_PER_PROGRAM = 10

UTC = dt.timezone.utc
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")

rng = random.Random(SEED)

# ---------------------------------------------------------------- helpers

_FOLD = {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
         "æ": "ae", "Æ": "ae", "ß": "ss", "œ": "oe", "Œ": "oe", "ı": "i",
         "þ": "th", "ð": "d"}


def slugify(text, maxlen=40, fallback="x"):
    text = "".join(_FOLD.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:maxlen].strip("-") or fallback


def weighted(pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def fmt_instant(zone, u):
    """Canonical RFC 3339 text of UTC instant u in zone."""
    local = u.astimezone(zone)
    off = int(local.utcoffset().total_seconds())
    assert off % 60 == 0, (zone, u, off)
    sign = "+" if off >= 0 else "-"
    off = abs(off)
    return "%s%s%02d:%02d" % (local.strftime("%Y-%m-%dT%H:%M:%S"), sign,
                              off // 3600, off % 3600 // 60)


def to_utc(zone, naive, fold=0):
    return naive.replace(tzinfo=zone, fold=fold).astimezone(UTC)


def local_of(zone, u):
    return u.astimezone(zone).replace(tzinfo=None)


def midnight_is_plain(zone, day):
    """True when 00:00 of day exists exactly once in zone."""
    naive = dt.datetime(day.year, day.month, day.day)
    a = naive.replace(tzinfo=zone, fold=0)
    b = naive.replace(tzinfo=zone, fold=1)
    if a.utcoffset() != b.utcoffset():
        return False
    return local_of(zone, a.astimezone(UTC)) == naive


def within(zone, start_u, end_u, starts_on, ends_on):
    """The rule of the format, judged in the program's zone."""
    if not start_u < end_u:
        return False
    ls = local_of(zone, start_u)
    le = local_of(zone, end_u)
    if ls.date() < starts_on:
        return False
    nxt = ends_on + dt.timedelta(days=1)
    return le.date() <= ends_on or (le.date() == nxt and le.time() == dt.time(0))


def transitions(zone, first_day, last_day):
    """(UTC instant, offset before, offset after) of each change of zone's
    offset between local dates first_day and last_day, found by stepping a
    day at a time and then 15 minutes at a time (every change in these
    years is on a quarter hour)."""
    key = (zone.key, first_day, last_day)
    if key in _TRANSITIONS:
        return _TRANSITIONS[key]
    out = []
    t = to_utc(zone, dt.datetime(first_day.year, first_day.month, first_day.day))
    stop = to_utc(zone, dt.datetime(last_day.year, last_day.month, last_day.day)
                  + dt.timedelta(days=1))
    day, step = dt.timedelta(days=1), dt.timedelta(minutes=15)
    prev = t.astimezone(zone).utcoffset()
    while t < stop:
        t2 = min(t + day, stop)
        if t2.astimezone(zone).utcoffset() != prev:
            u = t
            while u < t2:
                u2 = u + step
                off = u2.astimezone(zone).utcoffset()
                if off != prev:
                    out.append((u2, prev, off))
                    prev = off
                u = u2
        t = t2
    _TRANSITIONS[key] = out
    return out


_TRANSITIONS = {}


# ---------------------------------------------------------------- pools

ZONES = [
    ("Asia/Shanghai", 8), ("Europe/Berlin", 6), ("America/Santiago", 6),
    ("Australia/Sydney", 6), ("America/New_York", 6), ("Asia/Kolkata", 4),
    ("Asia/Kathmandu", 4), ("Europe/London", 3), ("Africa/Maseru", 2),
    ("Asia/Kuala_Lumpur", 2), ("Australia/Lord_Howe", 2),
    ("America/St_Johns", 2), ("Pacific/Chatham", 2), ("Pacific/Kiritimati", 2),
    ("Pacific/Pago_Pago", 1), ("America/Sao_Paulo", 2), ("Asia/Tehran", 2),
    ("Africa/Casablanca", 1), ("Europe/Dublin", 2), ("America/Havana", 2),
    ("Asia/Beirut", 1), ("Etc/UTC", 2), ("America/Lima", 2), ("Asia/Tokyo", 2),
    ("Africa/Nairobi", 2), ("America/Mexico_City", 2),
    ("Australia/Adelaide", 2), ("Pacific/Auckland", 2),
    ("America/Los_Angeles", 2), ("Atlantic/Reykjavik", 1), ("US/Eastern", 1),
    ("Asia/Calcutta", 1),
]
ZONE_CACHE = {}


def zone_of(name):
    if name not in ZONE_CACHE:
        ZONE_CACHE[name] = zoneinfo.ZoneInfo(name)
    return ZONE_CACHE[name]


# (code, English name, local name)
COUNTRIES = [
    ("MY", "Malaysia", "Malaysia"), ("LS", "Lesotho", "Lesotho"),
    ("CN", "China", "中国"), ("CL", "Chile", "Chile"), ("AU", "Australia", "Australia"),
    ("US", "the United States", "United States"), ("IN", "India", "भारत"),
    ("NP", "Nepal", "नेपाल"), ("DE", "Germany", "Deutschland"),
    ("GB", "the United Kingdom", "United Kingdom"), ("EG", "Egypt", "مصر"),
    ("MA", "Morocco", "المغرب"), ("PE", "Peru", "Perú"), ("MX", "Mexico", "México"),
    ("BR", "Brazil", "Brasil"), ("KE", "Kenya", "Kenya"), ("TZ", "Tanzania", "Tanzania"),
    ("ET", "Ethiopia", "ኢትዮጵያ"), ("VN", "Viet Nam", "Việt Nam"),
    ("TH", "Thailand", "ประเทศไทย"), ("JP", "Japan", "日本"), ("KR", "Korea", "대한민국"),
    ("RU", "Russia", "Россия"), ("GR", "Greece", "Ελλάδα"), ("IL", "Israel", "ישראל"),
    ("IR", "Iran", "ایران"), ("LB", "Lebanon", "لبنان"), ("CU", "Cuba", "Cuba"),
    ("FR", "France", "France"), ("SN", "Senegal", "Sénégal"), ("CI", "Côte d'Ivoire", "Côte d’Ivoire"),
    ("PK", "Pakistan", "پاکستان"), ("LK", "Sri Lanka", "ශ්‍රී ලංකාව"), ("KH", "Cambodia", "កម្ពុជា"),
    ("LA", "Laos", "ລາວ"), ("MN", "Mongolia", "Монгол"), ("KZ", "Kazakhstan", "Қазақстан"),
    ("NZ", "New Zealand", "Aotearoa"), ("FJ", "Fiji", "Fiji"), ("WS", "Samoa", "Sāmoa"),
    ("KI", "Kiribati", "Kiribati"), ("IE", "Ireland", "Éire"), ("IS", "Iceland", "Ísland"),
    ("NG", "Nigeria", "Nigeria"), ("ZA", "South Africa", "South Africa"),
    ("AE", "the United Arab Emirates", "الإمارات"), ("SA", "Saudi Arabia", "السعودية"),
    ("ES", "Spain", "España"), ("PT", "Portugal", "Portugal"), ("TR", "Türkiye", "Türkiye"),
    ("PL", "Poland", "Polska"), ("DK", "Denmark", "Danmark"), ("HU", "Hungary", "Magyarország"),
    ("CA", "Canada", "Canada"), ("AR", "Argentina", "Argentina"), ("BO", "Bolivia", "Bolivia"),
    ("UZ", "Uzbekistan", "Oʻzbekiston"), ("MM", "Myanmar", "မြန်မာ"), ("BD", "Bangladesh", "বাংলাদেশ"),
]

LANGS = ["en", "zh", "zh-Hant", "zh-Hans-CN", "es-PE", "es", "fr", "ar", "ms", "ru",
         "pt-BR", "de", "ja", "ko", "ne", "hi", "th", "vi", "sw", "st", "sr-Latn-RS",
         "en-GB", "en-US", "fa", "he", "el", "tr", "mn", "km", "es-419"]

# (display, romanization) pools per naming culture
CN_FAMILY = [("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"),
             ("杨", "Yang"), ("黄", "Huang"), ("赵", "Zhao"), ("周", "Zhou"), ("吴", "Wu"),
             ("徐", "Xu"), ("孙", "Sun"), ("欧阳", "Ouyang"), ("司马", "Sima"), ("𠮷", "Ji")]
CN_GIVEN = [("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("秀英", "Xiuying"), ("敏", "Min"),
            ("静", "Jing"), ("丽", "Li"), ("强", "Qiang"), ("磊", "Lei"), ("军", "Jun"),
            ("洋", "Yang"), ("勇", "Yong"), ("艳", "Yan"), ("杰", "Jie"), ("涛", "Tao"),
            ("明", "Ming"), ("超", "Chao"), ("霞", "Xia"), ("北民", "Beimin"), ("立红", "Lihong")]
JP_FAMILY = [("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"), ("田中", "Tanaka"),
             ("渡辺", "Watanabe")]
JP_GIVEN = [("花子", "Hanako"), ("太郎", "Taro"), ("美咲", "Misaki"), ("翔太", "Shota"),
            ("さくら", "Sakura")]
KR_FAMILY = [("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi"), ("정", "Jung")]
KR_GIVEN = [("민준", "Minjun"), ("서연", "Seoyeon"), ("지호", "Jiho"), ("하은", "Haeun"),
            ("도윤", "Doyun")]
AR_GIVEN = [("محمد", "Mohammed"), ("فاطمة", "Fatima"), ("أحمد", "Ahmed"), ("علي", "Ali"),
            ("مريم", "Maryam"), ("يوسف", "Youssef"), ("ليلى", "Layla"), ("عمر", "Omar"),
            ("نور", "Nour"), ("خالد", "Khaled")]
AR_FAMILY = [("العلي", "Al-Ali"), ("الحسن", "Al-Hassan"), ("المنصوري", "Al-Mansouri"),
             ("بن سالم", "Bin Salem"), ("الخطيب", "Al-Khatib"), ("حداد", "Haddad")]
FA_NAMES = [("رضا", "Reza"), ("زهرا", "Zahra"), ("مهدی", "Mahdi")]
FA_FAMILY = [("محمدی", "Mohammadi"), ("حسینی", "Hosseini"), ("کریمی", "Karimi")]
HE_GIVEN = [("נועה", "Noa"), ("דוד", "David"), ("יעל", "Yael"), ("אורי", "Uri")]
HE_FAMILY = [("כהן", "Cohen"), ("לוי", "Levi"), ("מזרחי", "Mizrahi")]
DEV_GIVEN = [("राम", "Ram"), ("सीता", "Sita"), ("अनिल", "Anil"), ("प्रिया", "Priya"),
             ("बिकास", "Bikash"), ("सुनिता", "Sunita")]
DEV_FAMILY = [("शर्मा", "Sharma"), ("थापा", "Thapa"), ("श्रेष्ठ", "Shrestha"), ("गुरुङ", "Gurung"),
              ("पटेल", "Patel")]
TH_GIVEN = [("สมชาย", "Somchai"), ("สุดา", "Suda"), ("วิชัย", "Wichai")]
TH_FAMILY = [("ใจดี", "Jaidee"), ("รักไทย", "Rakthai"), ("ศรีสุข", "Srisuk")]
RU_GIVEN = [("Иван", "Ivan"), ("Ольга", "Olga"), ("Дмитрий", "Dmitry"), ("Айгерим", "Aigerim"),
            ("Бат-Эрдэнэ", "Bat-Erdene")]
RU_FAMILY = [("Иванов", "Ivanov"), ("Смирнова", "Smirnova"), ("Нурланова", "Nurlanova"),
             ("Кузнецов", "Kuznetsov")]
EL_GIVEN = [("Γιώργος", "Giorgos"), ("Ελένη", "Eleni"), ("Νίκος", "Nikos")]
EL_FAMILY = [("Παπαδόπουλος", "Papadopoulos"), ("Οικονόμου", "Oikonomou")]
LATIN_GIVEN = ["José", "María", "Zoë", "François", "Søren", "Łukasz", "Ágnes", "Jürgen", "Çağla",
               "Ngọc Anh", "Björk", "Inês", "Siobhán", "Thabo", "Lerato", "Amani", "Siti Nurhaliza",
               "Ahmad", "Ana Lucía", "Chloé", "Mateus", "Kofi", "Aroha", "Sione", "Teuila",
               "Marek", "Ólafur", "Zsófia", "Tomás", "Ñusta", "Ebru", "Ilse", "Renée", "Þóra"]
LATIN_FAMILY = ["Núñez", "Åström", "Müller", "Wałęsa", "Kovačević", "Öztürk", "Nguyễn", "Lefèvre",
                "Ó Briain", "Østergaard", "Gonçalves", "Dvořák", "Hernández", "Mokoena", "Mwangi",
                "bin Ismail", "Tan", "Quispe Mamani", "da Silva", "Ngata", "Faleolo", "Schäfer",
                "Guðmundsdóttir", "Szabó", "O'Connor", "Diallo", "Ba", "Traoré", "Mendoza Ríos",
                "Lê Văn", "Phạm", "Jørgensen", "Ødegård", "Kowalczyk"]
EMOJI = ["🌏", "🌱", "🚀", "🎓", "📚", "🤝", "✨", "👩‍🔬", "👨‍👩‍👧", "🏳️‍🌈", "🇲🇾", "☕"]

HONORIFICS = ["Mr.", "Ms.", "Dr.", "Prof.", "Datuk Seri", "H.E.", "Mme", "Sr.", "Sra.",
              "Eng.", "Hon.", "Dato'", "Tan Sri", "السيد", "先生", "女士", "Dr.-Ing."]
POSITIONS = ["Director", "Deputy Director", "Investigator", "CEO", "Vice President",
             "Executive Vice Dean", "Assistant Director", "Counsellor (political affairs)",
             "Trainee", "Programme Officer", "Senior Economist", "Interpreter (en ⇄ zh)",
             "Photographer", "Writer", "Head of Section \"Trade & Logistics\"",
             "Chief Engineer", "Lecturer", "Professor of Textile Engineering",
             "Permanent Secretary", "Directora General de Comercio Exterior",
             "Chargée de mission", "处长", "副院长", "مدير إدارة التعاون الدولي", "Logistics coordinator",
             "Alumnus of three seminars on cotton processing, textile and trade"]

ORG_KINDS = ["ministry", "department", "agency", "embassy", "school", "training-base",
             "association", "company", "other"]
FIELDS = ["Commerce", "Foreign Affairs", "Education", "Transport", "Information", "Agriculture",
          "Textile Industry", "Digital Economy", "Health", "Energy", "Water Resources",
          "Fisheries", "Tourism", "Customs", "Finance", "Labour", "Environment", "Trade Safety",
          "Science and Technology", "Rural Development"]
CITIES = ["Shanghai", "Wuhan", "Kuala Lumpur", "Maseru", "Santiago", "Sydney", "New York",
          "Kolkata", "Kathmandu", "Berlin", "Lima", "Nairobi", "São Paulo", "Mexico City",
          "Reykjavík", "Auckland", "Casablanca", "Tehran", "Beirut", "Dublin", "Havana", "Tokyo"]
ORG_LOCAL = ["上海商学院", "武汉纺织大学", "商务部国际商务官员研修基地（上海）", "وزارة التجارة والصناعة",
             "Ministère de l'Économie et des Finances", "Universidad Nacional Agraria La Molina",
             "Technische Universität München", "त्रिभुवन विश्वविद्यालय", "東京大学 国際協力センター",
             "한국국제협력단", "Московский государственный университет", "מכון ויצמן למדע",
             "Πανεπιστήμιο Αθηνών", "จุฬาลงกรณ์มหาวิทยาลัย", "Green Future Lab 🌱",
             "Asociación de Exportadores \"ADEX\"", "Café Científico ☕ São Paulo",
             "Universiti Teknologi Malaysia", "Háskóli Íslands", "Ollscoil na hÉireann, Gaillimh"]

TOPICS = [
    ("High Technology Industry Incubation", "high-tech"),
    ("Manufacturing Industry and Textile Development", "textile"),
    ("Textile Trade Safety", "trade-safety"),
    ("Digital Economy and E-commerce", "digital-economy"),
    ("Agricultural Technology and Food Security", "agritech"),
    ("Port Logistics and Supply Chains", "logistics"),
    ("Renewable Energy Planning", "renewables"),
    ("Public Health Emergency Management", "public-health"),
    ("Customs Facilitation", "customs"),
    ("Rural Revitalisation and Poverty Reduction", "rural"),
    ("Smart Cities", "smart-cities"),
    ("Vocational Education", "vocational"),
    ("Water Resources Management", "water"),
    ("Tourism Recovery", "tourism"),
]
TITLE_FORMS = [
    ("seminar", "Seminar on {topic} for {country}"),
    ("seminar", "Seminar on the Development Prospects of {topic} for {country}"),
    ("training-course", "Training Course on {topic} for Officials from {country}"),
    ("workshop", "Workshop on {topic} ({country})"),
    ("forum", "Forum: {topic} — Sharing Experience with {country}"),
    ("seminar", "{country_local}{topic_zh}研修班"),
    ("workshop", "Taller sobre {topic} para {country_local}"),
    ("seminar", "Séminaire sur {topic} pour {country_local}"),
    ("forum", "منتدى {topic_ar} — {country_local}"),
    ("training-course", "{topic} 🎓 Training for {country}"),
]
TOPIC_ZH = ["高新技术产业发展", "纺织产业发展", "纺织品贸易安全", "数字经济", "农业技术",
            "港口物流", "可再生能源", "公共卫生", "海关便利化", "乡村振兴"]
TOPIC_AR = ["الاقتصاد الرقمي", "التجارة الآمنة", "الطاقة المتجددة", "الصحة العامة", "الزراعة الحديثة"]

SESSION_TITLES = {
    "ceremony": ["Opening Ceremony", "Closing Ceremony and Certificates", "开班仪式", "结业典礼",
                 "Ceremonia de clausura", "Cérémonie d'ouverture"],
    "lecture": ["Policy system and practical cases of {t}", "China's experience in {t}",
                "Lecture: \"Lessons from {t}\"", "专题讲座：{tz}", "Conferencia: {t} en la práctica",
                "محاضرة: {ta}", "{t} — case study 📊"],
    "discussion": ["Group discussion on {t}", "Round table: {t} & trade", "座谈交流",
                   "Mesa redonda: desafíos de {t}", "Q&A with the lecturers"],
    "field-trip": ["Field trip to an industrial park", "Visit to the Yangshan Deep-Water Port",
                   "实地考察：产业园区", "Excursión técnica", "Night train to the training base 🚄"],
    "practice": ["Hands-on practice: {t}", "Simulation exercise", "Laboratorio práctico", "实操训练"],
    "visit": ["Visit to a museum of science and technology", "Company visit: Alibaba Cloud",
              "参观企业", "Visite d'une coopérative"],
    "break": ["Lunch break", "Coffee break ☕", "午休", "Pausa café"],
}
ITEM_TITLES = ["Opening speech", "Welcome address", "Keynote: {t}", "Policy briefing on {t}",
               "Presentation of the country report", "Cultural performance 🎶",
               "Speech on behalf of all participants", "致辞", "主旨演讲：{tz}",
               "Intervención de la delegación", "كلمة الوفد", "Preparation work and training arrangements",
               "Congratulations from the \"Business Council\"", "Questions & answers"]
FREE_BEHALF = ["all participants", "the project organizer", "the Ministry of Commerce",
               "全体学员", "Todos los participantes", "la délégation du Sénégal", "الوفد المشارك",
               "MOFCOM", "Participants from Lesotho", "the host university"]
PHASES = [("needs-analysis", ["Training needs analysis", "Needs survey of the trainees", "需求调研"]),
          ("materials-collection", ["Copywriting collection", "Materials collection", "资料收集"]),
          ("expert-consultation", ["Expert consultation and discussion", "专家论证"]),
          ("plan-approved", ["Implementation plan determined", "Plan approved by the host", "实施方案确定"])]

SENTENCES = {
    "en": ["The seminar is dedicated to cultivating management talents.",
           "Participants shared the experience of their ministries and departments.",
           "The lecturer presented policy instruments and practical cases.",
           "A field trip to the industrial park followed in the afternoon.",
           "Both sides agreed to strengthen cooperation in trade & investment.",
           "\"We learned a great deal,\" said one participant.",
           "Materials are available at C:\\podium\\handouts for the trainees."],
    "zh": ["本次研修班旨在培养高新技术产业相关管理人才。", "学员们分享了各自国家的发展经验。",
           "专家结合实际案例进行了深入讲解。", "下午，学员们赴产业园区进行实地考察。",
           "双方表示将进一步加强经贸合作。"],
    "ar": ["يهدف البرنامج إلى تأهيل الكوادر الإدارية.", "تبادل المشاركون خبرات وزاراتهم.",
           "قدم المحاضر دراسات حالة عملية.", "اتفق الجانبان على تعزيز التعاون."],
    "es": ["El taller reunió a funcionarios de varios ministerios.",
           "Los participantes compartieron experiencias prácticas.",
           "La visita técnica permitió conocer la cadena de suministro.",
           "Se acordó fortalecer la cooperación bilateral."],
    "fr": ["Le séminaire vise à former des cadres de l'administration.",
           "Les participants ont partagé l'expérience de leurs ministères.",
           "Une visite d'étude a complété la journée."],
    "ja": ["研修では実践的な事例が紹介されました。", "参加者は活発に意見を交換しました。"],
    "ko": ["참가자들은 각국의 경험을 공유했습니다.", "현장 견학이 이어졌습니다."],
    "ne": ["सहभागीहरूले आफ्नो अनुभव साझा गरे।", "कार्यक्रम सफलतापूर्वक सम्पन्न भयो।"],
    "ru": ["Участники обменялись опытом.", "Семинар прошёл в дружественной атмосфере."],
    "el": ["Οι συμμετέχοντες αντάλλαξαν εμπειρίες."],
    "he": ["המשתתפים שיתפו את ניסיונם."],
}
CAPTIONS = ["The offline venue", "The online photo", "Group photo 📸", "合影留念", "The speech of {n}",
            "Foto de grupo", "صورة جماعية", "Visit to the port", "Hands-on practice",
            "Certificates ceremony", "Coffee break ☕", "Les participants en visite"]
ARTICLE_TITLES = ["{p} Kicked Off", "{p}: Closing Ceremony Held", "Participants Visit {c}",
                  "{p} — Week {w} in Review", "专题报道：{p}", "Notice: schedule change for {p}",
                  "Crónica: {p}", "Retour sur {p}", "تقرير: {p}", "Interview with a trainee 🎤"]


def lang_base(tag):
    return tag.split("-")[0]


def sentence(lang):
    pool = SENTENCES.get(lang_base(lang)) or SENTENCES["en"]
    return rng.choice(pool)


# ---------------------------------------------------------------- names

def person_name():
    """(display name, ascii basis for the key)"""
    culture = weighted([("cn", 22), ("jp", 4), ("kr", 4), ("ar", 9), ("fa", 2), ("he", 2),
                        ("dev", 8), ("th", 3), ("ru", 5), ("el", 2), ("latin", 39)])
    if culture == "cn":
        f, g = rng.choice(CN_FAMILY), rng.choice(CN_GIVEN)
        form = rng.random()
        if form < 0.5:
            name = f[0] + g[0]
        elif form < 0.8:
            name = "%s %s" % (f[1], g[1])
        else:
            name = "%s %s (%s%s)" % (f[1], g[1], f[0], g[0])
        basis = "%s %s" % (f[1], g[1])
    elif culture in ("jp", "kr"):
        fam, giv = (JP_FAMILY, JP_GIVEN) if culture == "jp" else (KR_FAMILY, KR_GIVEN)
        f, g = rng.choice(fam), rng.choice(giv)
        name = f[0] + (" " if culture == "jp" else "") + g[0]
        basis = "%s %s" % (f[1], g[1])
    elif culture in ("ar", "fa", "he", "dev", "th", "ru", "el"):
        giv, fam = {"ar": (AR_GIVEN, AR_FAMILY), "fa": (FA_NAMES, FA_FAMILY),
                    "he": (HE_GIVEN, HE_FAMILY), "dev": (DEV_GIVEN, DEV_FAMILY),
                    "th": (TH_GIVEN, TH_FAMILY), "ru": (RU_GIVEN, RU_FAMILY),
                    "el": (EL_GIVEN, EL_FAMILY)}[culture]
        g, f = rng.choice(giv), rng.choice(fam)
        name = "%s %s" % (g[0], f[0])
        basis = "%s %s" % (g[1], f[1])
        if rng.random() < 0.2:
            name = "%s %s (%s)" % (g[1], f[1], name)
    else:
        g, f = rng.choice(LATIN_GIVEN), rng.choice(LATIN_FAMILY)
        name = "%s %s" % (g, f)
        if rng.random() < 0.1:
            # decomposed form: e + combining acute etc. must survive as is
            name = unicodedata.normalize("NFD", name)
        basis = name
    if rng.random() < 0.015:
        name += " " + rng.choice(EMOJI)
    return name, basis


# ---------------------------------------------------------------- build

counts = {}


def count(kind, n=1):
    counts[kind] = counts.get(kind, 0) + n


def build_organizations():
    orgs = []
    used = set()
    for i in range(N_ORGS):
        code, cname, clocal = rng.choice(COUNTRIES)
        kind = rng.choice(ORG_KINDS)
        r = rng.random()
        if r < 0.15:
            name = rng.choice(ORG_LOCAL)
        elif kind == "ministry":
            name = "Ministry of %s of %s" % (rng.choice(FIELDS), cname)
        elif kind == "embassy":
            name = "Embassy of %s in %s" % (rng.choice(COUNTRIES)[1], rng.choice(COUNTRIES)[1])
        elif kind == "school":
            name = "%s University of %s" % (rng.choice(CITIES), rng.choice(FIELDS))
        elif kind == "training-base":
            name = "Training Base for International Business Officials (%s)" % rng.choice(CITIES)
        elif kind == "department":
            name = "Department of %s" % rng.choice(FIELDS)
        elif kind == "company":
            name = "%s %s Co., Ltd." % (rng.choice(CITIES), rng.choice(FIELDS))
        else:
            name = "%s–%s %s Council" % (cname.replace("the ", ""), rng.choice(COUNTRIES)[1].replace("the ", ""),
                                        rng.choice(FIELDS))
        key = "%s-%s" % (slugify(name, 40, "org"), i)
        if i == 7:
            key = "1st-" + key  # a key may start with a digit
        if i == 11:
            key = ("org-" + "x" * 64)[:60] + "-end"  # exactly 64 characters
        assert KEY_RE.match(key) and key not in used, key
        used.add(key)
        o = {"key": key, "name": name}
        if rng.random() < 0.4:
            words = [w for w in re.split(r"[\s()–-]+", name) if w and w[0].isupper()]
            if len(words) >= 2:
                o["short_name"] = "".join(w[0] for w in words)[:12]
        if rng.random() < 0.9:
            o["country"] = code
        o["kind"] = kind
        if i > 0 and rng.random() < 0.3:
            o["parent"] = orgs[rng.randrange(max(0, i - 50), i)]["key"]  # earlier: no cycles
        orgs.append(o)
    # put the last 40 in reverse order: a few children now precede their parent
    orgs[-40:] = orgs[-40:][::-1]
    count("organizations", len(orgs))
    return orgs


def build_people(orgs):
    people = []
    used = set()
    for i in range(N_PEOPLE):
        name, basis = person_name()
        key = "%s-%d" % (slugify(basis, 40), i)
        if i == 3:
            key = "0-" + key
        if i == 5:
            key = ("person-" + "q" * 64)[:64]
        if i == 9:
            # a name of exactly 200 code points, many outside the BMP
            name = ("𠮷田 " + "👩‍🔬" * 30 + " Ünïcödé " + "測試" * 60)[:199] + "ø"
        assert KEY_RE.match(key) and key not in used, key
        assert 1 <= len(name) <= 200
        used.add(key)
        p = {"key": key, "name": name}
        if rng.random() < 0.4:
            p["honorific"] = rng.choice(HONORIFICS)
        if rng.random() < 0.7:
            p["position"] = rng.choice(POSITIONS)
        if rng.random() < 0.8:
            p["organization"] = rng.choice(orgs)["key"]
        if rng.random() < 0.85:
            p["country"] = rng.choice(COUNTRIES)[0]
        if rng.random() < 0.5:
            p["email"] = "%s@%s" % (slugify(basis, 20).replace("-", "."),
                                    rng.choice(["example.org", "example.com", "mofcom.example.cn",
                                                "gov.example.my", "uni.example.edu"]))
        people.append(p)
    count("people", len(people))
    return people


def pick_dates(zone_name, zone):
    year = rng.randint(2016, 2024)
    ndays = rng.randint(5, 21)
    if rng.random() < 0.6:
        # aim at the zone's DST changes, if it has any that year
        tr = transitions(zone, dt.date(year, 1, 1), dt.date(year, 12, 31))
        if tr:
            t = rng.choice(tr)[0]
            center = local_of(zone, t).date()
            start = center - dt.timedelta(days=rng.randint(1, ndays - 2))
            if start.year < 2016:
                start = dt.date(2016, 1, 4)
            return start, start + dt.timedelta(days=ndays - 1)
    start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 340))
    return start, start + dt.timedelta(days=ndays - 1)


class Program:
    pass


def make_text(lang, nsent, allow_newlines):
    parts = []
    for _ in range(nsent):
        parts.append(sentence(lang))
    sep = "\n" if allow_newlines and rng.random() < 0.3 else " "
    return sep.join(parts)


def build_program(idx, orgs, people, person_index):
    zone_name = weighted(ZONES)
    zone = zone_of(zone_name)
    starts_on, ends_on = pick_dates(zone_name, zone)
    days = [(starts_on + dt.timedelta(days=d)) for d in range((ends_on - starts_on).days + 1)]
    topic, topic_slug = rng.choice(TOPICS)
    ccount = rng.choice([1, 1, 1, 2, 3, 4])
    countries = rng.sample(COUNTRIES, ccount)
    kind, form = rng.choice(TITLE_FORMS)
    title = form.format(topic=topic, country=countries[0][1], country_local=countries[0][2],
                        topic_zh=rng.choice(TOPIC_ZH), topic_ar=rng.choice(TOPIC_AR))
    if idx == 13:
        # exactly 300 code points, mostly 3-byte CJK
        title = "关于高新技术产业孵化与培育的发展前景研修班（" + "马来西亚" * 80
        title = title[:299] + "）"
    assert 1 <= len(title) <= 300
    slug = "%s-%s-%d-%03d" % (topic_slug, countries[0][0].lower(), starts_on.year, idx)
    mode = rng.choice(["online", "offline", "hybrid", "hybrid"])
    hosts = [o for o in orgs if o["kind"] in ("ministry", "agency")]
    organizers = [o for o in orgs if o["kind"] in ("school", "training-base", "department")]
    prog = {"slug": slug, "title": title, "kind": kind, "mode": mode, "timezone": zone_name,
            "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(),
            "host": rng.choice(hosts)["key"], "organizer": rng.choice(organizers)["key"]}
    prog["countries"] = [c[0] for c in countries]
    count("program countries", ccount)

    # enrolments first: capacity depends on them
    enrolled = rng.sample(people, ENROLMENTS_PER_PROGRAM)
    roles = (["participant"] * 24 + ["speaker"] * 6 + ["guest"] * 4 + ["staff"] * 4
             + ["interpreter"] * 2)
    rng.shuffle(roles)
    enrolments = []
    for p, role in zip(enrolled, roles):
        status = weighted([("confirmed", 70), ("registered", 12), ("invited", 10), ("withdrawn", 8)])
        enrolments.append({"person": p["key"], "role": role, "status": status})
    confirmed_participants = sum(1 for e in enrolments
                                 if e["role"] == "participant" and e["status"] == "confirmed")
    r = rng.random()
    if r < 0.15:
        pass  # no capacity
    elif r < 0.35:
        prog["capacity"] = max(1, confirmed_participants)  # exactly full
    else:
        prog["capacity"] = confirmed_participants + rng.randint(1, 60)

    nl = rng.choice([1, 1, 2, 3])
    languages = rng.sample(LANGS, nl)
    if rng.random() < 0.5 and "en" not in languages:
        languages[0] = "en"
    prog["languages"] = languages
    count("program languages", nl)
    lang = languages[0]
    if rng.random() < 0.9:
        prog["summary"] = make_text(lang, rng.randint(1, 4), True)

    prep = []
    for phase, titles in PHASES:
        if rng.random() < 0.85:
            ph = {"phase": phase, "title": rng.choice(titles),
                  "status": rng.choice(["todo", "doing", "done", "done"])}
            if rng.random() < 0.5:
                ph["due"] = (starts_on - dt.timedelta(days=rng.randint(5, 120))).isoformat()
            if rng.random() < 0.3:
                ph["notes"] = "Checked with the host.\n\t- budget: ok\n\t- \"translation\": pending"
            prep.append(ph)
    if prep:
        prog["preparation"] = prep
        count("phases", len(prep))

    venues = []
    nrooms = 0 if mode == "online" else rng.randint(1, 4)
    nonline = 0 if mode == "offline" else rng.randint(1, 2)
    room_keys = ["main-hall", "offline-venue", "room-301", "auditorium", "lab-2", "会议室"]
    for i in range(nrooms):
        key = ["main-hall", "offline-venue", "room-301", "auditorium", "lab-2"][i]
        v = {"key": key, "name": rng.choice(["Main hall", "Offline venue", "Room 301",
                                              "Auditorium «Aula Magna»", "Lab 2 — 实验室"]),
             "kind": "room"}
        if rng.random() < 0.7:
            v["address"] = "%d %s Road, %s" % (rng.randint(1, 999), rng.choice(["Zhongshan", "Jalan Ampang",
                                                                                 "Kingsway", "Avenida Arequipa"]),
                                               rng.choice(CITIES))
        if rng.random() < 0.6:
            v["capacity"] = rng.randint(10, 500)
        venues.append(v)
    for i in range(nonline):
        key = ["online", "live-broadcast"][i]
        v = {"key": key, "name": rng.choice(["Online meeting room", "Live broadcast 📡", "线上会议室"]),
             "kind": "online"}
        if rng.random() < 0.8:
            v["url"] = "https://meet.example.net/%s/%s?pwd=%08x" % (slug, key, rng.getrandbits(32))
        if rng.random() < 0.3:
            v["capacity"] = rng.randint(50, 1000)
        venues.append(v)
    del room_keys
    prog["venues"] = venues
    count("venues", len(venues))
    prog["enrolments"] = enrolments
    count("enrolments", len(enrolments))

    present = [e["person"] for e in enrolments if e["status"] != "withdrawn"] or [enrolments[0]["person"]]
    speakers = [e["person"] for e in enrolments if e["role"] in ("speaker", "guest", "staff")] or present
    sessions = build_sessions(zone, starts_on, ends_on, days, venues, present, speakers, people,
                              topic, lang, idx)
    prog["sessions"] = sessions
    count("sessions", len(sessions))

    prog["articles"] = build_articles(prog, title, starts_on, ends_on, languages, people, enrolled, idx)
    count("articles", len(prog["articles"]))
    count("programs")
    return prog


def session_slots(zone, starts_on, ends_on, days):
    """40 (start_utc, end_utc, kind, special) tuples inside the program."""
    slots = []

    def add(su, eu, kind, special=None):
        if within(zone, su, eu, starts_on, ends_on):
            slots.append((su, eu, kind, special))
            return True
        return False

    d0, dn = days[0], days[-1]
    add(to_utc(zone, dt.datetime.combine(d0, dt.time(9, 0))),
        to_utc(zone, dt.datetime.combine(d0, dt.time(10, 30))), "ceremony", "opening")
    add(to_utc(zone, dt.datetime.combine(dn, dt.time(15, 0))),
        to_utc(zone, dt.datetime.combine(dn, dt.time(16, 30))), "ceremony", "closing")
    # boundaries: 00:00 of starts_on and 24:00 of ends_on, where plain
    if rng.random() < 0.3 and midnight_is_plain(zone, d0):
        add(to_utc(zone, dt.datetime.combine(d0, dt.time(0, 0))),
            to_utc(zone, dt.datetime.combine(d0, dt.time(7, 0))), "practice", "from-midnight")
    nxt = dn + dt.timedelta(days=1)
    if rng.random() < 0.3 and midnight_is_plain(zone, nxt):
        add(to_utc(zone, dt.datetime.combine(dn, dt.time(21, 0))),
            to_utc(zone, dt.datetime.combine(nxt, dt.time(0, 0))), "visit", "to-midnight")
    # DST changes inside the program: one session across each, and one in
    # the repeated hour whose end reads earlier than its start
    for t, before, after in transitions(zone, d0, dn):
        add(t - dt.timedelta(hours=3), t + dt.timedelta(hours=2), "field-trip", "across-dst")
        if after < before:  # fall back: wall times repeat
            third = (before - after) / 3
            a = t - third        # first pass through the hour, old offset
            b = t + third        # second pass, new offset: earlier wall time
            if (local_of(zone, b) < local_of(zone, a)):
                add(a, b, "discussion", "repeated-hour")
    starts = [(8, 0), (9, 0), (9, 30), (10, 45), (13, 30), (14, 0), (15, 30), (19, 0), (20, 30)]
    kinds = [("lecture", 40), ("discussion", 15), ("field-trip", 8), ("practice", 10), ("visit", 8),
             ("break", 15), ("ceremony", 2)]
    tries = 0
    while len(slots) < SESSIONS_PER_PROGRAM:
        tries += 1
        assert tries < 10000
        day = rng.choice(days)
        h, m = rng.choice(starts)
        kind = weighted(kinds)
        minutes = {"break": rng.choice([15, 30, 60]), "field-trip": rng.choice([180, 300, 600])}.get(
            kind, rng.choice([45, 60, 90, 120, 150]))
        su = to_utc(zone, dt.datetime.combine(day, dt.time(h, m)))
        eu = su + dt.timedelta(minutes=minutes)
        add(su, eu, kind)
    slots = slots[:SESSIONS_PER_PROGRAM]
    slots.sort(key=lambda s: (s[0], s[1]))
    return slots


def build_sessions(zone, starts_on, ends_on, days, venues, present, speakers, people, topic, lang, pidx):
    sessions = []
    used = set()
    tz = rng.choice(TOPIC_ZH)
    ta = rng.choice(TOPIC_AR)
    for n, (su, eu, kind, special) in enumerate(session_slots(zone, starts_on, ends_on, days)):
        if special:
            count("special sessions: " + special)
        if special == "opening":
            title = "Opening Ceremony"
        elif special == "closing":
            title = "Closing Ceremony and Certificates"
        elif special == "from-midnight":
            title = "Arrival and registration helpdesk (from 00:00)"
        elif special == "to-midnight":
            title = "Farewell dinner until midnight 🌙"
        elif special == "across-dst":
            title = "Overnight transfer across the clock change ⏰"
        elif special == "repeated-hour":
            title = "Discussion in the repeated hour (ends 'before' it starts on the wall clock)"
        else:
            title = rng.choice(SESSION_TITLES[kind]).format(t=topic.lower(), tz=tz, ta=ta)
        base = {"opening": "opening-ceremony", "closing": "closing-ceremony"}.get(special)
        key = base if base and base not in used else "%s-%d" % (slugify(title, 30) if slugify(title, 30) != "x" else kind, n)
        assert KEY_RE.match(key) and key not in used, key
        used.add(key)
        s = {"key": key, "title": title, "kind": kind,
             "starts_at": fmt_instant(zone, su), "ends_at": fmt_instant(zone, eu)}
        if venues and rng.random() < 0.85:
            s["venues"] = [v["key"] for v in rng.sample(venues, rng.randint(1, min(2, len(venues))))]
            count("session venue links", len(s["venues"]))
        if rng.random() < 0.8:
            s["attendees"] = rng.sample(present, rng.randint(1, min(12, len(present))))
            count("session attendee links", len(s["attendees"]))
        nitems = {"ceremony": rng.randint(3, 6), "break": 0}.get(kind, rng.choice([0, 1, 2, 2, 3, 3, 4]))
        items = []
        for _ in range(nitems):
            it = {"kind": rng.choice(["speech", "lecture", "presentation", "discussion", "performance"]),
                  "speaker": rng.choice(speakers),
                  "title": rng.choice(ITEM_TITLES).format(t=topic.lower(), tz=tz)}
            r = rng.random()
            if r < 0.15:
                it["on_behalf_of"] = rng.choice(people)["key"]  # a reference
            elif r < 0.35:
                it["on_behalf_of"] = rng.choice(FREE_BEHALF)  # free text
            items.append(it)
        if items:
            s["items"] = items
            count("items", len(items))
        r = rng.random()
        if pidx == 21 and n == 5:
            d = "Long description, exactly 10,000 code points: "
            filler = "Δοκιμή 测试 اختبار ✨\t"
            d += filler * ((10000 - len(d)) // len(filler) + 1)
            s["description"] = d[:10000]
        elif r < 0.5:
            s["description"] = make_text(lang, rng.randint(1, 3), True)
            if rng.random() < 0.1:
                s["description"] += "\n\tBring: passport, laptop & \"certificate\" form (see \\\\share\\forms)."
        sessions.append(s)
    return sessions


def markdown_body(lang, photos, people_names, big=False):
    paras = []
    refs = list(photos)
    rng.shuffle(refs)
    n = rng.randint(3, 9) if not big else 6000
    for i in range(n):
        kind = rng.random()
        if kind < 0.6:
            paras.append(" ".join(sentence(lang) for _ in range(rng.randint(1, 4))))
        elif kind < 0.7:
            paras.append("## " + sentence(lang))
        elif kind < 0.8:
            paras.append("\n".join("- **%s** — %s" % (nm, sentence(lang)) for nm in people_names[:3]))
        elif kind < 0.85:
            paras.append("> " + sentence(lang) + "\n> — *" + people_names[0] + "*")
        elif kind < 0.9:
            paras.append("| Day | Activity |\n|---|---|\n| 1 | Opening |\n| 2 | Lectures & visits |")
        elif kind < 0.95:
            paras.append("Read the [programme](https://example.org/programme?id=%d&lang=%s)." % (i, lang))
        else:
            paras.append("```\n$ podium list\nSLUG  STARTS  ENDS\n```")
        if refs and rng.random() < 0.6:
            ph = refs.pop()
            alt = re.sub(r"[\[\]()]", "", ph["caption"])
            paras.append("![%s](photo:%s)" % (alt, ph["key"]))
    for ph in refs:
        if rng.random() < 0.5:
            paras.append("![](photo:%s \"%s\")" % (ph["key"], ph["key"]))
    if rng.random() < 0.05:
        paras.append("![An external image](https://example.org/img/logo.png)")
    return "\n\n".join(paras)


def build_articles(prog, ptitle, starts_on, ends_on, languages, people, enrolled, pidx):
    arts = []
    staff = [p for p in enrolled]
    short = ptitle if len(ptitle) <= 120 else ptitle[:119] + "…"
    for a in range(ARTICLES_PER_PROGRAM):
        lang = rng.choice(languages)
        title = rng.choice(ARTICLE_TITLES).format(p=short, c=rng.choice(CITIES), w=a + 1)
        key = "%s-%d" % (slugify(title, 40) if slugify(title, 40) != "x" else "article", a)
        if a == 0:
            key = "opening-kicked-off"
        created = starts_on + dt.timedelta(days=rng.randint(0, (ends_on - starts_on).days + 20))
        status = weighted([("published", 60), ("in-review", 20), ("draft", 20)])
        section = rng.choice(["activity-highlights", "news", "notice"])
        photos = []
        used = set()
        for _ in range(rng.choice([0, 1, 2, 3, 3, 4, 5, 6])):
            cap = rng.choice(CAPTIONS).format(n=rng.choice(enrolled)["name"])
            pkey = slugify(cap, 30)
            if pkey == "x":
                pkey = "photo"
            base, k = pkey, 2
            while pkey in used:
                pkey = "%s-%d" % (base, k)
                k += 1
            used.add(pkey)
            photos.append({"key": pkey, "caption": cap})
        names = [p["name"] for p in rng.sample(enrolled, 3)]
        big = pidx == 33 and a == 3
        body = markdown_body(lang, photos, names, big)
        if big:
            body = body[:150000]
            # keep the cut from leaving a half image reference
            body = body[:body.rfind("\n\n")]
        art = {"key": key, "section": section, "title": title, "created_on": created.isoformat(),
               "language": lang, "status": status, "body_markdown": body}
        if photos:
            art["photos"] = photos
            count("photos", len(photos))
        credits = {}
        if status == "published" or rng.random() < 0.6:
            w, rv, ph = rng.sample(staff, 3)
            credits["written_by"] = w["key"]
            if photos and rng.random() < 0.8:
                credits["photographed_by"] = (w if rng.random() < 0.1 else ph)["key"]
            if status == "published" or rng.random() < 0.5:
                credits["reviewed_by"] = rv["key"]
        if credits:
            art["credits"] = credits
        arts.append(art)
    return arts


# ---------------------------------------------------------------- output

def dumps(obj, ascii_=False):
    return json.dumps(obj, ensure_ascii=ascii_)


def write_document(out, orgs, people, programs):
    w = out.write
    w('{\n  "format": "podium-program/1",\n  "organizations": [\n')
    w(",\n".join("    " + dumps(o) for o in orgs))
    w('\n  ],\n  "people": [\n')
    # every 50th person is written with \u escapes (surrogate pairs included)
    w(",\n".join("    " + dumps(p, i % 50 == 17) for i, p in enumerate(people)))
    w('\n  ],\n  "programs": [\n')
    for pi, prog in enumerate(programs):
        w("    {\n")
        fields = []
        for k, v in prog.items():
            if k in ("preparation", "venues", "enrolments", "sessions", "articles"):
                inner = ",\n".join("        " + dumps(x, k == "sessions" and j % 97 == 3)
                                   for j, x in enumerate(v))
                fields.append('      "%s": [\n%s\n      ]' % (k, inner))
            else:
                fields.append('      %s: %s' % (dumps(k), dumps(v)))
        w(",\n".join(fields))
        w("\n    }" + (",\n" if pi < len(programs) - 1 else "\n"))
    w("  ]\n}\n")


def main():
    orgs = build_organizations()
    people = build_people(orgs)
    person_index = {p["key"]: p for p in people}
    programs = [build_program(i, orgs, people, person_index) for i in range(N_PROGRAMS)]
    if len(sys.argv) > 1 and sys.argv[1] != "-":
        with open(sys.argv[1], "w", encoding="utf-8", newline="\n") as f:
            write_document(f, orgs, people, programs)
    else:
        out = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="\n", closefd=False)
        write_document(out, orgs, people, programs)
        out.flush()
    records = ["organizations", "people", "programs", "program countries", "program languages",
               "phases", "venues", "enrolments", "sessions", "items", "articles", "photos"]
    total = sum(counts.get(k, 0) for k in records)
    for k in records:
        print("%-22s %7d" % (k, counts.get(k, 0)), file=sys.stderr)
    for k in sorted(c for c in counts if c.startswith("special")):
        print("  (%s: %d)" % (k, counts[k]), file=sys.stderr)
    print("%-22s %7d   (not counted: %d session venue links, %d attendee links)" % (
        "records", total, counts.get("session venue links", 0),
        counts.get("session attendee links", 0)), file=sys.stderr)


if __name__ == "__main__":
    main()
