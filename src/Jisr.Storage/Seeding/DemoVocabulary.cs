namespace Jisr.Storage.Seeding;

/// <summary>
/// The words the demo data set is written with: name parts in Arabic script with the Latin spellings French- and
/// English-speaking services use, places, and report templates per threat domain and language. Every person the
/// data set builds from these parts is fictional.
/// </summary>
internal static class DemoVocabulary
{
    /// <summary>A name part in Arabic script, its French/Maghrebi spelling and its English spelling.</summary>
    public sealed record NamePart(string Arabic, string French, string English);

    public static readonly NamePart[] MaleGivenNames =
    [
        new("يوسف", "Youssef", "Yusuf"), new("محمد", "Mohamed", "Muhammad"), new("أحمد", "Ahmed", "Ahmad"),
        new("خالد", "Khalid", "Khaled"), new("عبد اللطيف", "Abdellatif", "Abdul Latif"), new("نور الدين", "Noureddine", "Nur al-Din"),
        new("مصطفى", "Mustapha", "Mustafa"), new("إبراهيم", "Brahim", "Ibrahim"), new("سعيد", "Said", "Saeed"),
        new("عمر", "Omar", "Umar"), new("حسن", "Hassan", "Hasan"), new("رشيد", "Rachid", "Rashid"),
        new("كريم", "Karim", "Kareem"), new("هشام", "Hicham", "Hisham"), new("عبد الرحيم", "Abderrahim", "Abdul Rahim"),
        new("جمال", "Jamal", "Jamal"), new("طارق", "Tarik", "Tariq"), new("إسماعيل", "Smail", "Ismail"),
    ];

    public static readonly NamePart[] FemaleGivenNames =
    [
        new("فاطمة", "Fatima", "Fatimah"), new("خديجة", "Khadija", "Khadijah"), new("سلمى", "Salma", "Salma"),
        new("زينب", "Zineb", "Zaynab"), new("أمينة", "Amina", "Aminah"), new("مريم", "Meryem", "Maryam"),
        new("نعيمة", "Naima", "Naeema"), new("حورية", "Houria", "Hooriya"),
    ];

    public static readonly NamePart[] FamilyNames =
    [
        new("العلمي", "El Alami", "Al-Alami"), new("الإدريسي", "El Idrissi", "Al-Idrisi"), new("بنعلي", "Benali", "Bin Ali"),
        new("التازي", "Tazi", "Al-Tazi"), new("الفاسي", "El Fassi", "Al-Fasi"), new("بوزيد", "Bouzid", "Bu Zayd"),
        new("الشرقاوي", "Cherkaoui", "Al-Sharqawi"), new("الزياني", "Zayani", "Al-Zayani"), new("المنصوري", "El Mansouri", "Al-Mansuri"),
        new("القادري", "Kadiri", "Al-Qadiri"), new("الحمداوي", "Hamdaoui", "Al-Hamdawi"), new("بوعزة", "Bouazza", "Bu Azza"),
        new("الرحماني", "Rahmani", "Al-Rahmani"), new("الوزاني", "Ouazzani", "Al-Wazzani"), new("الغزاوي", "Ghazaoui", "Al-Ghazawi"),
        new("الشاوي", "Chaoui", "Al-Shawi"),
    ];

    /// <summary>Persons of other backgrounds who appear in partner services' files (all fictional).</summary>
    public static readonly string[] OtherPersons =
    [
        "Javier Morales Ruiz", "Carlos Navarro Gil", "Lucía Ortega Sanz", "Jean-Marc Lefèvre", "Sébastien Moreau",
        "Ibrahima Sow", "Mamadou Ndiaye", "Viktor Draganov", "Ahmet Yildirim", "Kevin O'Donnell",
    ];

    public sealed record Place(string Name, string Arabic, string Country, double Latitude, double Longitude);

    public static readonly Place[] Places =
    [
        new("Tanger Med", "طنجة المتوسط", "MA", 35.885, -5.500), new("Nador", "الناظور", "MA", 35.168, -2.933), new("Casablanca", "الدار البيضاء", "MA", 33.573, -7.589),
        new("Fès", "فاس", "MA", 34.033, -5.000), new("Oujda", "وجدة", "MA", 34.681, -1.908), new("Laâyoune", "العيون", "MA", 27.125, -13.162),
        new("Algeciras", "الجزيرة الخضراء", "ES", 36.140, -5.456), new("Almería", "ألميريا", "ES", 36.834, -2.463), new("Ceuta", "سبتة", "ES", 35.889, -5.321),
        new("Marseille", "مرسيليا", "FR", 43.296, 5.370), new("Lyon", "ليون", "FR", 45.764, 4.835), new("Dakar", "داكار", "SN", 14.716, -17.467),
        new("Nouakchott", "نواكشوط", "MR", 18.079, -15.965), new("Istanbul", "إسطنبول", "TR", 41.008, 28.978),
    ];

    public static readonly string[] FrontCompanies =
    [
        "Atlas Import-Export SARL", "Sahel Transit Logistics", "Rif Maritime Services", "Nour Bureau de Change",
        "Al Baraka Textiles", "Horizon Travel Agency", "Oasis Auto Parts", "Bab Sebta Commerce", "Dunes Digital Solutions",
        "Association Espoir Solidaire",
    ];

    public static readonly string[] Platforms = ["Telegram", "Facebook", "TikTok", "X", "WhatsApp", "Signal"];

    /// <summary>A report template: {p1} and {p2} are persons, {place}, {org}, {date}, {amount} and {n} fill the rest.</summary>
    public sealed record Template(string Title, string Body);

    public static readonly IReadOnlyDictionary<(ThreatDomain Domain, string Language), Template[]> Templates = new Dictionary<(ThreatDomain, string), Template[]>
    {
        [(ThreatDomain.Terrorism, "ar")] =
        [
            new("رصد اجتماع مشبوه لعناصر خلية في {place}", "أفادت مصادر ميدانية بأن المدعو {p1} عقد اجتماعاً مع {p2} بتاريخ {date} في أحد المنازل بـ{place}. تشير المعطيات الأولية إلى تبادل وثائق وأجهزة هاتف. يُقترح تعزيز المراقبة وتبادل المعلومات مع الشركاء."),
            new("معلومات عن تحضير عمل إرهابي محتمل", "توصلت المصلحة بمعلومات تفيد بأن {p1} يسعى إلى اقتناء مواد كيميائية قابلة للاستعمال في صنع متفجرات. تم رصد اتصالات متكررة مع {p2} المقيم في {place}. المعلومات قيد التحقق."),
        ],
        [(ThreatDomain.Terrorism, "fr")] =
        [
            new("Surveillance d'une réunion de cellule à {place}", "Le {date}, {p1} a été observé en compagnie de {p2} à proximité d'un local associatif à {place}. Les deux individus ont échangé un sac et un téléphone. Une demande de vérification d'identité a été adressée aux services partenaires."),
            new("Projet de départ vers une zone de conflit", "Selon une source de fiabilité confirmée, {p1} préparerait un départ vers le Sahel via {place}. Il serait en contact avec {p2}, déjà signalé pour des faits similaires. Le voyage serait financé par {org}."),
        ],
        [(ThreatDomain.Terrorism, "en")] =
        [
            new("Suspected attack planning reported near {place}", "A liaison source reports that {p1} has been conducting reconnaissance of public venues in {place} since {date}. {p2} is believed to provide logistics. Partner services are asked to check travel records for both subjects."),
        ],
        [(ThreatDomain.TerrorismFinancing, "ar")] =
        [
            new("تحويلات مالية مشبوهة عبر نظام الحوالة", "رصدت وحدة المعلومات المالية تحويلات بقيمة {amount} درهم من حساب {p1} لفائدة {org} خلال الفترة الممتدة إلى {date}. يُشتبه في استعمال شبكة حوالة يديرها {p2} لتمويل عناصر متطرفة."),
        ],
        [(ThreatDomain.TerrorismFinancing, "fr")] =
        [
            new("Flux financiers suspects liés à {org}", "L'analyse des comptes de {org} fait apparaître {n} virements fractionnés pour un total de {amount} EUR vers {place}. Le bénéficiaire final serait {p2}, proche de {p1}. Une déclaration de soupçon a été transmise."),
        ],
        [(ThreatDomain.TerrorismFinancing, "en")] =
        [
            new("Crypto-asset donations to an extremist fundraiser", "Blockchain analysis links a wallet controlled by {p1} to {n} donations totalling {amount} USD collected through an online campaign run by {p2}. Funds were partly cashed out in {place}."),
        ],
        [(ThreatDomain.OrganisedCrime, "ar")] =
        [
            new("نشاط شبكة إجرامية منظمة في {place}", "تفيد المعلومات بأن {p1} يتزعم شبكة تنشط في تبييض الأموال عبر شركة {org}. يتولى {p2} تسيير العمليات اليومية. تم رصد اقتناء عقارات بقيمة {amount} درهم."),
        ],
        [(ThreatDomain.OrganisedCrime, "fr")] =
        [
            new("Blanchiment présumé via {org}", "{p1} utiliserait la société {org} pour blanchir le produit de trafics divers. Des espèces pour {amount} EUR ont été déposées en {n} opérations à {place}. {p2} agirait comme prête-nom."),
        ],
        [(ThreatDomain.OrganisedCrime, "en")] =
        [
            new("Organised crime group extorting businesses in {place}", "Field officers report that {p1} and {p2} are collecting protection payments from shop owners in {place}. At least {n} victims have been identified. The group uses {org} as a front."),
        ],
        [(ThreatDomain.MigrantSmuggling, "ar")] =
        [
            new("تحضير عملية هجرة غير نظامية انطلاقاً من {place}", "أكدت المعاينة الميدانية بتاريخ {date} تجمع حوالي {n} مرشحاً للهجرة بضواحي {place}. يتولى {p1} جمع المبالغ المالية بينما يشرف {p2} على تجهيز القارب."),
        ],
        [(ThreatDomain.MigrantSmuggling, "fr")] =
        [
            new("Départ d'embarcation signalé à {place}", "Une embarcation pneumatique transportant {n} personnes aurait quitté {place} le {date}. L'organisation est attribuée à {p1}, qui exigeait {amount} EUR par passager. {p2} assurerait la coordination depuis l'autre rive."),
        ],
        [(ThreatDomain.MigrantSmuggling, "en")] =
        [
            new("Smuggling route via {place} identified", "Interviews with intercepted migrants indicate that {p1} organises crossings via {place} for about {amount} EUR per person. {p2} handles payments through a money-transfer shop. {n} departures are attributed to the network since {date}."),
        ],
        [(ThreatDomain.HumanTrafficking, "ar")] =
        [
            new("الاشتباه في الاتجار بالبشر عبر عروض عمل وهمية", "تلقت المصلحة شكاية تفيد بأن {p1} استدرج {n} نساء بعروض عمل وهمية في الخارج. تم ترحيل الضحايا عبر {place} ومصادرة جوازات سفرهن. يشتبه في تورط {p2}."),
        ],
        [(ThreatDomain.HumanTrafficking, "fr")] =
        [
            new("Exploitation présumée de victimes de traite à {place}", "Les victimes entendues désignent {p1} comme recruteur et {p2} comme gérant de l'appartement où elles étaient retenues à {place}. {n} victimes ont été identifiées ; leurs documents d'identité avaient été confisqués."),
        ],
        [(ThreatDomain.HumanTrafficking, "en")] =
        [
            new("Forced labour ring linked to {org}", "Labour inspectors found {n} workers without contracts at a site run by {org}. Workers state that {p1} recruited them and that {p2} withheld their passports. Wages were paid into an account in {place}."),
        ],
        [(ThreatDomain.DrugTrafficking, "ar")] =
        [
            new("حجز شحنة من مخدر الشيرا بميناء {place}", "تمكنت عناصر الشرطة بتاريخ {date} من حجز {n} كيلوغرام من مخدر الشيرا مخبأة في شاحنة للنقل الدولي بميناء {place}. تم توقيف السائق، وتشير الأبحاث إلى أن {p1} و{p2} هما المنظمان الرئيسيان للشحنة."),
            new("معلومات عن تهريب الكوكايين عبر الواجهة الأطلسية", "تفيد مصادر بأن شبكة يتزعمها {p1} تستعد لاستقبال شحنة من الكوكايين عبر زورق سريع قرب {place}. يتولى {p2} التنسيق مع الموردين."),
        ],
        [(ThreatDomain.DrugTrafficking, "fr")] =
        [
            new("Saisie de résine de cannabis à {place}", "Le {date}, {n} kg de résine de cannabis ont été découverts dans un double fond de camion à {place}. Le chauffeur a déclaré travailler pour {p1}. Les relevés téléphoniques montrent des contacts réguliers avec {p2}."),
        ],
        [(ThreatDomain.DrugTrafficking, "en")] =
        [
            new("Go-fast boat landing expected near {place}", "Signals intelligence suggests a go-fast landing of about {n} kg of cannabis resin near {place} around {date}. {p1} is expected to receive the load; {p2} arranges onward transport by road."),
        ],
        [(ThreatDomain.Cybercrime, "ar")] =
        [
            new("حملة تصيد احتيالي تستهدف زبناء الأبناك", "تم رصد حملة تصيد احتيالي عبر رسائل نصية تنتحل صفة مؤسسة بنكية. أدت الحملة إلى سرقة {amount} درهم من {n} ضحية. تشير المعطيات التقنية إلى تورط {p1} بمساعدة {p2}."),
        ],
        [(ThreatDomain.Cybercrime, "fr")] =
        [
            new("Rançongiciel visant un hôpital de {place}", "Un rançongiciel a chiffré les serveurs d'un établissement hospitalier de {place} le {date}. La rançon demandée s'élève à {amount} EUR en bitcoins. L'adresse du portefeuille a déjà été utilisée par un groupe lié à {p1} et {p2}."),
        ],
        [(ThreatDomain.Cybercrime, "en")] =
        [
            new("Business e-mail compromise against exporters", "{n} exporters lost a total of {amount} EUR after fraudulent payment instructions were sent from look-alike domains. Mule accounts in {place} were opened by {p1}; {p2} is suspected of writing the phishing kits."),
        ],
        [(ThreatDomain.OnlineExtremism, "ar")] =
        [
            new("قناة رقمية تنشر محتوى متطرفاً", "رصدت المصلحة قناة على منصة للتواصل الاجتماعي يديرها {p1} تنشر محتوى يحرض على العنف، ويتابعها أكثر من {n} مشترك. يتولى {p2} ترجمة المنشورات وإعادة نشرها."),
        ],
        [(ThreatDomain.OnlineExtremism, "fr")] =
        [
            new("Propagande violente diffusée en ligne", "Le compte animé par {p1} relaie depuis le {date} des contenus appelant à la violence, vus plus de {n} fois. {p2} recrute de jeunes abonnés par messagerie privée. Une demande de retrait a été adressée à la plateforme."),
        ],
        [(ThreatDomain.OnlineExtremism, "en")] =
        [
            new("Online radicalisation of minors", "Monitoring of an encrypted group shows {p1} grooming teenagers with extremist videos; {n} members are under 18. {p2} administers the group and shares instructions for making weapons."),
        ],
    };
}
