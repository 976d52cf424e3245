/*
 * names.c: the built-in synthetic word lists of the demo generator.
 *
 * NOT a separate translation unit: demo.c includes this file, so every
 * table is static and private to the generator (src/demo/meson.build does
 * not compile it on its own).
 *
 * Everything here is invented for demonstration.  The names are common
 * given and family names of the communities that live in English towns
 * (British, Irish and Traveller, South Asian, Eastern European, African,
 * Caribbean, Chinese and Vietnamese), listed roughly from most to least
 * common within each list, because the generator picks early entries more
 * often.  Spelling variants sit side by side on purpose (Mohammed /
 * Muhammad / Mohamed, Catherine / Katherine / Kathryn, Sean / Shaun /
 * Seán, Smith / Smyth, Chaudhry / Choudhury / Chowdhury, ...) so that the
 * misspelt-name search has realistic near-duplicates to find, and some
 * carry accents (Zoë, Róisín, Łukasz, Wójcik, Dvořák) to exercise folding.
 * Names that change form with sex (Polish -ski/-ska, Lithuanian, Russian)
 * are left out so that siblings share one family name.
 *
 * The worry and decision sentences are templates written for this file;
 * they describe no real child or family.  "{name}" is replaced with the
 * child's given name.
 */

enum demo_origin {
	ORIGIN_BRITISH,
	ORIGIN_IRISH,
	ORIGIN_SA_MUSLIM,
	ORIGIN_SA_INDIAN,
	ORIGIN_EAST_EURO,
	ORIGIN_AFRICAN,
	ORIGIN_CARIBBEAN,
	ORIGIN_EAST_ASIAN,
	ORIGIN__MAX
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- given names ------------------------------------------------------ */

static const char *const boys_british[] = {
	"Oliver", "Harry", "George", "Jack", "Noah", "Leo", "Jacob", "Charlie",
	"Freddie", "Alfie", "Thomas", "Oscar", "William", "James", "Joshua",
	"Henry", "Archie", "Theo", "Arthur", "Ethan", "Lucas", "Isaac", "Max",
	"Logan", "Daniel", "Samuel", "Joseph", "Riley", "Mason", "Tyler",
	"Jayden", "Jaden", "Kai", "Dylan", "Callum", "Liam", "Connor", "Ryan",
	"Lewis", "Reece", "Kian", "Alexander", "Zachary", "Zac", "Matthew",
	"Luke", "Benjamin", "Adam", "Jake", "Nathan", "Stephen", "Steven",
	"Philip", "Phillip", "Aiden", "Aidan", "Jon", "John", "Bradley",
	"Kieran", "Harvey", "Frankie",
};
static const char *const girls_british[] = {
	"Olivia", "Amelia", "Isla", "Ava", "Mia", "Emily", "Isabella", "Sophia",
	"Sofia", "Sophie", "Grace", "Lily", "Freya", "Ella", "Poppy", "Evie",
	"Charlotte", "Chloe", "Chloë", "Jessica", "Ruby", "Daisy", "Millie",
	"Holly", "Megan", "Leah", "Lea", "Ellie", "Elly", "Katie", "Katy",
	"Catherine", "Katherine", "Kathryn", "Lacey", "Courtney", "Paige",
	"Jade", "Zoe", "Zoë", "Hannah", "Abigail", "Eleanor", "Summer",
	"Scarlett", "Rosie", "Harper", "Lola", "Layla", "Amber", "Kayleigh",
	"Caitlin", "Kaitlyn", "Demi", "Skye",
};
static const char *const boys_irish[] = {
	"Sean", "Seán", "Shaun", "Conor", "Cian", "Oisín", "Padraig", "Eoin",
	"Ciaran", "Declan", "Niall", "Darragh", "Ronan", "Patrick", "Michael",
	"Martin",
};
static const char *const girls_irish[] = {
	"Niamh", "Aoife", "Siobhan", "Siobhán", "Róisín", "Saoirse", "Ciara",
	"Orla", "Caoimhe", "Sinead", "Aisling", "Clodagh", "Bridget", "Mary",
	"Kathleen",
};
static const char *const boys_sa_muslim[] = {
	"Muhammad", "Mohammed", "Mohammad", "Mohamed", "Ibrahim", "Yusuf",
	"Yousuf", "Ali", "Hamza", "Zain", "Zayn", "Ayaan", "Rayyan", "Omar",
	"Umar", "Bilal", "Hassan", "Hussain", "Imran", "Adnan", "Arham",
	"Haris", "Ismail", "Abdullah", "Zakariya",
};
static const char *const girls_sa_muslim[] = {
	"Aisha", "Ayesha", "Maryam", "Mariam", "Fatima", "Fatimah", "Zainab",
	"Hafsa", "Hafsah", "Amina", "Aminah", "Khadija", "Inaya", "Anaya",
	"Safa", "Iqra", "Sana", "Noor", "Nur", "Hania", "Zara", "Eman",
	"Aleena", "Alina", "Mehreen",
};
static const char *const boys_sa_indian[] = {
	"Arjun", "Rohan", "Aarav", "Krish", "Dev", "Harjit", "Gurpreet",
	"Jaspreet", "Rahul", "Vikram", "Arav", "Ishaan", "Rishi", "Karan",
	"Sai", "Aryan",
};
static const char *const girls_sa_indian[] = {
	"Priya", "Anika", "Aanya", "Simran", "Harleen", "Jasleen", "Kiran",
	"Navdeep", "Riya", "Ria", "Diya", "Isha", "Meera", "Pooja", "Nisha",
	"Sanjana",
};
static const char *const boys_east_euro[] = {
	"Jakub", "Kacper", "Szymon", "Filip", "Łukasz", "Lukasz", "Mateusz",
	"Bartosz", "Wiktor", "Oskar", "Antoni", "Dawid", "Aleksander",
	"Aleksandr", "Andrei", "Andrej", "Marek", "Tomasz", "Matei", "Ionut",
	"Darius", "Nikola",
};
static const char *const girls_east_euro[] = {
	"Zuzanna", "Julia", "Oliwia", "Natalia", "Wiktoria", "Maja", "Lena",
	"Hanna", "Alicja", "Gabriela", "Weronika", "Ioana", "Andreea",
	"Bianca", "Elena", "Daria", "Milena", "Anastasia", "Kateřina",
	"Katarzyna",
};
static const char *const boys_african[] = {
	"David", "Daniel", "Samuel", "Emmanuel", "Joshua", "Michael", "Tobi",
	"Tobiloba", "Oluwaseun", "Ayomide", "Chidi", "Chinedu", "Kwame", "Kofi",
	"Tendai", "Abdi", "Abdirahman", "Mohamed", "Yonas", "Femi", "Obinna",
	"Kwabena",
};
static const char *const girls_african[] = {
	"Precious", "Blessing", "Favour", "Esther", "Grace", "Adaeze",
	"Chiamaka", "Amara", "Ifeoma", "Folake", "Ayo", "Temitope", "Nia",
	"Fadumo", "Hodan", "Zahra", "Abena", "Ama", "Deborah",
};
static const char *const boys_caribbean[] = {
	"Tyrese", "Jermaine", "Marcus", "Kyle", "Delroy", "Leon", "Andre",
	"Dwayne", "Kemar", "Shane", "Tristan", "Nathaniel", "Malachi",
};
static const char *const girls_caribbean[] = {
	"Shanice", "Tia", "Tiana", "Keisha", "Jasmine", "Chantelle", "Aaliyah",
	"Jada", "Kayla", "Shantelle", "Monique", "Naomi", "Tanisha",
};
static const char *const boys_east_asian[] = {
	"Jun", "Hao", "Wei", "Zihan", "Ryan", "Kevin", "Minh", "Tuan",
};
static const char *const girls_east_asian[] = {
	"Mei", "Xin", "Yu", "Jia", "Ling", "Linh", "Anh", "Hoa",
};

/* ---- family names ----------------------------------------------------- */

static const char *const family_british[] = {
	"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Davis",
	"Evans", "Wilson", "Thomas", "Johnson", "Jonson", "Roberts",
	"Robinson", "Thompson", "Thomson", "Wright", "Walker", "White",
	"Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke",
	"Clark", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
	"Ward", "Morris", "Moore", "Lee", "King", "Baker", "Harrison",
	"Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Parker",
	"Price", "Bennett", "Young", "Griffiths", "Mitchell", "Cook",
	"Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Miller",
	"Cox", "Richards", "Marshall", "Anderson", "Simpson", "Ellis",
	"Adams", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers",
	"Gray", "Grey", "Mason", "Hunt", "Matthews", "Owen", "Palmer",
	"Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
	"Barker", "Fisher", "Stevens", "Stephens", "Jenkins", "Dixon",
	"Fletcher", "Smyth", "Macdonald", "McDonald", "Atkinson", "Pearson",
	"Pickering", "Hargreaves", "Sutcliffe", "Ashworth", "Greenwood",
	"Whitehead", "Ramsbottom", "Featherstone", "Smith-Jones",
	"Harvey-Wood",
};
static const char *const family_irish[] = {
	"Murphy", "Kelly", "O'Brien", "O'Sullivan", "O'Connor", "O'Neill",
	"Byrne", "Ryan", "Walsh", "McCarthy", "Doyle", "Gallagher", "Quinn",
	"Brennan", "Kavanagh", "Doherty", "Donnelly", "McLaughlin",
	"Flanagan", "Fitzgerald", "Ward", "McDonagh", "Connors", "Maughan",
	"Joyce", "Delaney",
};
static const char *const family_sa_muslim[] = {
	"Khan", "Ali", "Hussain", "Hussein", "Husain", "Ahmed", "Ahmad",
	"Begum", "Akhtar", "Mahmood", "Mahmud", "Iqbal", "Rahman", "Miah",
	"Uddin", "Islam", "Chaudhry", "Choudhury", "Chowdhury", "Butt",
	"Malik", "Shah", "Bibi", "Raza", "Aslam", "Siddiqui", "Qureshi",
	"Anwar", "Rashid", "Hossain",
};
static const char *const family_sa_indian[] = {
	"Patel", "Singh", "Kaur", "Sharma", "Kumar", "Gill", "Sandhu",
	"Sidhu", "Dhillon", "Mistry", "Joshi", "Parmar", "Chauhan", "Mehta",
	"Desai", "Bains", "Johal", "Rai", "Gupta", "Shah",
};
static const char *const family_east_euro[] = {
	"Nowak", "Wójcik", "Kaczmarek", "Mazur", "Krawczyk", "Zając", "Król",
	"Wróbel", "Pawlak", "Michalak", "Sikora", "Baran", "Duda", "Szewczyk",
	"Popescu", "Ionescu", "Popa", "Stan", "Dumitru", "Constantin",
	"Moldovan", "Horvath", "Horváth", "Novák", "Dvořák", "Kovač", "Rusu",
	"Lungu", "Marin", "Stoica", "Radu", "Lakatos", "Balog",
};
static const char *const family_african[] = {
	"Okafor", "Okonkwo", "Adeyemi", "Adebayo", "Oyelaran", "Olawale",
	"Eze", "Nwosu", "Obi", "Mensah", "Asante", "Owusu", "Boateng", "Osei",
	"Mohamed", "Abdi", "Hassan", "Warsame", "Farah", "Mwangi", "Otieno",
	"Kamara", "Sesay", "Bangura", "Moyo", "Ndlovu", "Mutasa", "Tesfaye",
	"Haile", "Diallo", "Okoro", "Afolabi",
};
static const char *const family_caribbean[] = {
	"Campbell", "Brown", "Williams", "Thomas", "Francis", "Henry",
	"Grant", "Clarke", "Reid", "Gordon", "Bailey", "Spencer", "Forbes",
	"Gayle", "Samuels", "Lindo", "McKenzie", "Powell", "Morgan",
	"Richards",
};
static const char *const family_east_asian[] = {
	"Wang", "Li", "Zhang", "Chen", "Liu", "Yang", "Huang", "Wong", "Chan",
	"Lam", "Cheung", "Ng", "Nguyen", "Tran",
};

struct name_list {
	const char *const *v;
	unsigned n;
};
#define LIST(a) {a, (unsigned)NELEM(a)}

/* Indexed by enum demo_origin. */
static const struct name_list given_boys[ORIGIN__MAX] = {
	LIST(boys_british), LIST(boys_irish), LIST(boys_sa_muslim),
	LIST(boys_sa_indian), LIST(boys_east_euro), LIST(boys_african),
	LIST(boys_caribbean), LIST(boys_east_asian),
};
static const struct name_list given_girls[ORIGIN__MAX] = {
	LIST(girls_british), LIST(girls_irish), LIST(girls_sa_muslim),
	LIST(girls_sa_indian), LIST(girls_east_euro), LIST(girls_african),
	LIST(girls_caribbean), LIST(girls_east_asian),
};
static const struct name_list family_names[ORIGIN__MAX] = {
	LIST(family_british), LIST(family_irish), LIST(family_sa_muslim),
	LIST(family_sa_indian), LIST(family_east_euro), LIST(family_african),
	LIST(family_caribbean), LIST(family_east_asian),
};

/* ---- streets of Northwold --------------------------------------------- */

static const char *const street_stems[] = {
	"Alder", "Beacon", "Birch", "Bramble", "Castle", "Chapel", "Church",
	"Clover", "Coronation", "Cross", "Dale", "Elm", "Fern", "Foundry",
	"Garden", "Hawthorn", "Heather", "High", "Holly", "Jubilee", "Kiln",
	"Lark", "Linden", "Mill", "Moor", "North", "Oak", "Orchard", "Park",
	"Primrose", "Priory", "Quarry", "Rowan", "Station", "Tanner", "Valley",
	"Victoria", "Weaver", "Willow", "Wold",
};
static const char *const street_kinds[] = {
	"Road", "Street", "Lane", "Close", "Avenue", "Crescent", "Way",
	"Drive", "Grove", "Terrace", "Gardens", "Court",
};
static const char *const building_names[] = {
	"Beacon House", "Castle Court", "Foundry Mews", "Heather House",
	"Kiln Court", "Lark Rise", "Mill House", "Priory Court",
	"Weavers Yard", "Wold Tower",
};

/* ---- free text -------------------------------------------------------- */

/* Worry sentences.  `codes` lists the referral source codes
 * (cin_referral_source.csv) a sentence suits, "*" meaning any; a
 * sentence is used only for a child aged min_age..max_age on the day of
 * the contact, where -1 means not yet born. */
struct worry_template {
	const char *codes;
	int min_age, max_age;
	const char *text;
};

static const struct worry_template worries[] = {
	{"6", -1, 17, "Police attended the home late at night after neighbours reported shouting between the adults; {name} was in the house at the time."},
	{"6", 0, 17, "Domestic abuse notification: an argument between the adults at the address, no injuries recorded, {name} asleep upstairs."},
	{"6", -1, -1, "Domestic abuse notification: the pregnant mother was pushed by her partner during an argument; she declined to support a prosecution."},
	{"6", 12, 17, "{name} was found by officers in the town centre after midnight and appeared to be under the influence of alcohol."},
	{"6", 11, 17, "{name} was reported missing by the family overnight and returned the next morning without saying where they had been."},
	{"6", 0, 17, "Officers executed a warrant at the address and noted the home was cold, with little food and a dog loose in the kitchen."},
	{"6", 12, 17, "{name} was seen in the company of older young people suspected of carrying drugs between towns."},
	{"6", -1, 17, "Police were called to a disturbance involving the mother's former partner, who is subject to a non-molestation order."},
	{"2A", 4, 16, "{name} has arrived at school hungry and in the same clothes on several days this week."},
	{"2A", 5, 17, "{name} told a teaching assistant that there is a lot of shouting at home and that they do not want to go home tonight."},
	{"2A 2B", 4, 17, "Attendance has fallen to 71% this term and the family has not responded to letters or calls from the school."},
	{"2A", 4, 17, "{name} had a bruise on the upper arm; the explanation given by the parent did not match what {name} said."},
	{"2A", 10, 17, "Staff have noticed {name} becoming withdrawn and tearful, and friends say {name} has been self-harming."},
	{"2A", 4, 11, "{name} has been collected from school by an adult who appeared to be under the influence of alcohol."},
	{"2A", 8, 17, "{name} disclosed being left to look after younger siblings overnight while the parent was out."},
	{"2B", 5, 16, "The education welfare officer reports {name} has been missing from school for three weeks and the family cannot be found."},
	{"3A", -1, 17, "The GP is concerned about the mother's low mood and how she is managing to care for {name}."},
	{"3A", 0, 10, "The GP has seen {name} several times in a short period with minor injuries and burns."},
	{"3B", 0, 4, "Health visitor is worried that {name} has missed three developmental checks and the family cannot be contacted."},
	{"3B", 0, 2, "Health visitor found the home very cluttered and unsafe for a crawling baby, with medication left within reach."},
	{"3B", -1, -1, "Health visitor saw the mother before the birth and is worried she has no support and no preparations for the baby."},
	{"3C", 5, 17, "School nurse reports {name} has lost weight this term and says there is often no food at home."},
	{"3D", -1, -1, "Midwife reports the mother has disclosed drug use during the pregnancy and has no stable accommodation."},
	{"3D", 0, 17, "Community paediatrician is concerned that {name}'s treatment plan is not being followed at home."},
	{"3E", 0, 17, "{name} attended the emergency department with an injury that the account given does not fully explain."},
	{"3E", 12, 17, "{name} was brought to the emergency department after taking an overdose of paracetamol."},
	{"3E", -1, -1, "The pregnant mother attended the emergency department with injuries after an assault by her partner."},
	{"3F", 0, 17, "{name} has an untreated dental infection and has missed several hospital appointments."},
	{"3F", 0, 17, "Ward staff are worried that the parents have not visited {name} for several days."},
	{"4", -1, 17, "Housing officer reports the family are facing eviction and the property is in very poor condition."},
	{"5A", -1, 17, "Adult social care report that the father's mental health has deteriorated and he is the main carer for {name}."},
	{"5A", -1, 17, "Adult social care are supporting the mother, who has a learning disability, and are worried about her managing alone."},
	{"5B", 10, 17, "Youth justice worker is concerned that {name} is being drawn into criminal activity by older peers."},
	{"5B", -1, 9, "The council's welfare rights team is worried the family has no money for food or heating and the children are going without."},
	{"5C", -1, 17, "Another council reports the family have moved into the area while {name} was subject to a child in need plan there."},
	{"5D", -1, 17, "Early help worker reports the family has disengaged from the support plan and concerns about home conditions remain."},
	{"1A", 0, 17, "A relative is worried that {name} is often left alone in the flat in the evenings."},
	{"1A", -1, 17, "A family member reports the mother's new partner has a history of violence and has moved in."},
	{"1B", -1, 17, "A neighbour reports hearing a child crying for long periods and adults shouting most nights."},
	{"1C", 11, 17, "{name} rang to say they had been thrown out of home after an argument and had nowhere to stay."},
	{"1C", 8, 17, "{name} told a youth worker they are frightened of their mother's boyfriend and asked for help."},
	{"1D", 0, 17, "A member of the public saw {name} being hit in the street by an adult."},
	{"7", -1, 17, "The probation service reports that a man with convictions for offences against children is living at the address."},
	{"7", 0, 17, "Cafcass report concerns raised during private law proceedings about the care of {name}."},
	{"8", 0, 10, "A children's centre worker reports {name} often appears unkempt and the parent seems overwhelmed."},
	{"8", -1, 17, "A voluntary organisation supporting the family is concerned about rising debts and the mother's drinking."},
	{"9", 0, 17, "An anonymous caller reports that the children at the address are often out late without supervision."},
	{"9", 3, 17, "The caller did not leave details but is worried that {name} looks thin and is not going to school."},
	{"*", 0, 17, "The referrer is worried about the care {name} is receiving at home."},
	{"*", -1, -1, "The referrer is worried about how the baby will be cared for after the birth."},
};

/* Decision reasons, indexed by decision. */
static const char *const reason_nfa[] = {
	"Information shared with the referrer; no role for children's social care.",
	"Concern already addressed by the school and the family; no further action.",
	"Checks show no previous concerns and the parent has acted protectively.",
};
static const char *const reason_advice[] = {
	"Advice given to the referrer about supporting the family and when to contact us again.",
	"Parent given information about local services; referrer advised to monitor.",
	"Advice and signposting to the family hub; threshold for statutory services not met.",
};
static const char *const reason_early_help[] = {
	"Needs can be met through early help; family consent to an early help assessment.",
	"Step to early help with a team around the family led by the school.",
	"Family would benefit from parenting support through the early help service.",
};
static const char *const reason_referral[] = {
	"Threshold for a child and family assessment met; referral opened.",
	"Cumulative concerns indicate the child may be in need; assessment required.",
	"Level of need requires assessment by a social worker; referral opened.",
};
static const char *const reason_strategy[] = {
	"Reasonable cause to suspect significant harm; strategy discussion with police and health.",
	"Injury not explained; strategy discussion convened today.",
	"Disclosure of harm; strategy discussion arranged and section 47 enquiries likely.",
};

/* Warnings: the kind is one of the program's (child.h, child_flag_kinds),
 * so every page shows its label; the text does not repeat the label. */
struct flag_template {
	enum child_flag_kind kind;
	const char *text;
	int share; /* relative weight */
};
static const struct flag_template flag_templates[] = {
	{CHILD_FLAG_WORKER_SAFETY, "An adult at the address has been aggressive to visiting workers. Visit in pairs.", 3},
	{CHILD_FLAG_COMMUNICATION, "The parents' first language is not English; book an interpreter for visits and meetings.", 4},
	{CHILD_FLAG_COMMUNICATION, "The mother needs a British Sign Language interpreter.", 1},
	{CHILD_FLAG_WORKER_SAFETY, "Dangerous dog at the address: ask for it to be secured before entering.", 2},
	{CHILD_FLAG_HEALTH, "The child has epilepsy; care plan held by the school nurse.", 2},
	{CHILD_FLAG_CHILD_SAFETY, "The family fled domestic abuse; do not disclose the address to the other parent.", 1},
};
