namespace Jisr.Fusion.Synthetic;

/// <summary>
/// Maghreb names in Arabic script with the Latin spellings agencies actually write (French, Spanish and English
/// transliterations, "El"/"Al" articles glued or not). Hand-made for the generator: no I/O in this assembly.
/// </summary>
internal static class NameTable
{
    public sealed record Name(string Arabic, string[] Latin);

    private static Name N(string arabic, params string[] latin) => new(arabic, latin);

    public static readonly Name[] MaleGiven =
    [
        N("محمد", "Mohamed", "Mohammed", "Muhammad", "Mohammad"), N("أحمد", "Ahmed", "Ahmad"), N("يوسف", "Youssef", "Youcef", "Yusuf"),
        N("كريم", "Karim", "Kareem"), N("سمير", "Samir", "Sameer"), N("رشيد", "Rachid", "Rashid"), N("عبد الله", "Abdellah", "Abdallah", "Abdullah"),
        N("عمر", "Omar", "Omer"), N("خالد", "Khalid", "Khaled"), N("حسن", "Hassan", "Hasan"), N("حسين", "Hussein", "Houcine", "Hocine"),
        N("إبراهيم", "Ibrahim", "Brahim"), N("إسماعيل", "Ismail", "Smail"), N("مصطفى", "Mustapha", "Moustafa", "Mostafa"), N("نبيل", "Nabil"),
        N("طارق", "Tarik", "Tariq"), N("سعيد", "Said", "Saeed"), N("عادل", "Adel", "Adil"), N("هشام", "Hicham", "Hisham"),
        N("جمال", "Jamal", "Djamel"), N("فريد", "Farid"), N("أنس", "Anas"), N("بلال", "Bilal"), N("زكرياء", "Zakaria", "Zakariae"),
        N("عثمان", "Othmane", "Osman", "Othman"), N("منير", "Mounir", "Munir"), N("ياسين", "Yassine", "Yacine"), N("مهدي", "Mehdi", "Mahdi"),
        N("أيوب", "Ayoub", "Ayyub"), N("إدريس", "Driss", "Idriss"), N("نور الدين", "Noureddine", "Nour Eddine"), N("عبد الرحيم", "Abderrahim", "Abdelrahim"),
        N("مراد", "Mourad", "Murad"), N("توفيق", "Toufik", "Tawfiq"), N("وليد", "Walid"),
    ];

    public static readonly Name[] FemaleGiven =
    [
        N("فاطمة", "Fatima", "Fatma"), N("خديجة", "Khadija", "Khadidja"), N("مريم", "Meryem", "Mariam"), N("سلمى", "Salma"),
        N("نادية", "Nadia"), N("ليلى", "Leila", "Layla"), N("أمينة", "Amina"), N("سعاد", "Souad"), N("حنان", "Hanane", "Hanan"),
        N("زينب", "Zineb", "Zaynab"), N("إيمان", "Imane", "Iman"), N("نور", "Nour", "Noor"), N("سارة", "Sara", "Sarah"),
        N("هدى", "Houda", "Huda"), N("رجاء", "Rajae", "Raja"), N("أسماء", "Asmae", "Asma"), N("كوثر", "Kaoutar", "Kawthar"),
    ];

    public static readonly Name[] Family =
    [
        N("بنعلي", "Benali", "Ben Ali"), N("العمراني", "El Amrani", "Elamrani", "Al-Amrani"), N("الإدريسي", "El Idrissi", "Idrissi"),
        N("التازي", "Tazi", "El Tazi"), N("الفاسي", "El Fassi", "Fassi"), N("بنجلون", "Benjelloun", "Ben Jelloun"),
        N("الصديقي", "Seddiki", "Es-Seddiki"), N("الطاهري", "Tahiri", "El Tahiri", "Al-Tahiri"), N("بوزيد", "Bouzid"),
        N("العلوي", "Alaoui", "El Alaoui"), N("الشرقاوي", "Cherkaoui", "Charkaoui"), N("برادة", "Berrada"), N("بنسعيد", "Bensaid", "Ben Said"),
        N("المنصوري", "Mansouri", "El Mansouri"), N("الحسني", "Hassani", "El Hassani"), N("القادري", "Kadiri", "Qadiri"),
        N("الزياني", "Ziani", "Zayani"), N("بن عيسى", "Benaissa", "Ben Aissa"), N("الخطيب", "Khatib", "El Khatib"),
        N("بلحاج", "Belhadj", "Bel Hadj"), N("حداد", "Haddad"), N("مسعودي", "Messaoudi"), N("بوعزيزي", "Bouazizi"),
        N("الهاشمي", "Hachemi", "El Hachimi"), N("التونسي", "Tounsi"), N("عياد", "Ayad", "Ayyad"), N("شريف", "Cherif", "Sharif"),
        N("بوطالب", "Boutaleb"), N("الوزاني", "Ouazzani", "Wazzani"), N("السوسي", "Soussi"), N("البقالي", "Bakkali", "El Bakkali"),
        N("النجار", "Najjar", "Ennajjar"), N("الغزالي", "Ghazali", "El Ghazali"), N("العثماني", "Othmani", "El Othmani"),
        N("بنكيران", "Benkirane"), N("الزروالي", "Zerouali", "Zeroual"), N("المرابط", "Mrabet", "El Mrabet"), N("بنموسى", "Benmoussa", "Ben Moussa"),
        N("الحمداوي", "Hamdaoui"), N("الكتاني", "Kettani", "Kattani"), N("الريفي", "Rifi", "Errifi"), N("الدكالي", "Doukkali"),
        N("الناصري", "Naciri", "Nasiri"), N("الودغيري", "Oudghiri"), N("الشاوي", "Chaoui"), N("البركاني", "Berkani"),
        N("العبدلاوي", "Abdellaoui"), N("اليعقوبي", "Yacoubi", "Yaakoubi"), N("بن شقرون", "Benchekroun", "Ben Chekroun"),
        N("السباعي", "Sbai", "Esbai"), N("العراقي", "Iraki", "El Iraki"), N("بلقاسم", "Belkacem", "Belkassem"), N("مزيان", "Meziane"),
        N("بوشعيب", "Bouchaib"), N("زروقي", "Zerrouki"), N("حمدي", "Hamdi"), N("سليماني", "Slimani"), N("بنيحيى", "Benyahia", "Ben Yahia"),
    ];
}
