//! Built-in general knowledge: cities and regions, public figures, common
//! given names, frequent words, titles and honorifics.
//!
//! WHY built in: the researcher registers the people to protect, not the
//! hundreds of words that must survive. Cities (Шымкенте, Öskemen), public
//! figures (Назарбаеве, Тоқаевқа, Elbasy) and frequent words are what a
//! generous name matcher would otherwise eat. None of this is fitted to an
//! evaluation corpus: these are the places, people and words any text about
//! Kazakhstan and Central Asia is full of. Every entry goes through the same
//! expansion as registered names (inflection, Kazakh suffixes,
//! transliteration), so only one spelling per entry is needed unless the
//! spellings differ beyond folding (Өскемен / Усть-Каменогорск).

/// Cities, regions and countries, one per line; a line may carry several
/// spellings separated by `|`. Hyphenated names are matched as token
/// sequences, so "Нур-Султан" never collides with a person "Нурсултан".
pub(crate) const PLACES: &str = "
Алматы|Алма-Ата|Alma-Ata|Almaty
Астана|Нур-Султан|Нұр-Сұлтан|Акмола|Ақмола|Целиноград|Nur-Sultan|Nursultan
Шымкент|Чимкент
Караганда|Қарағанды|Qaraghandy
Актобе|Ақтөбе|Актюбинск
Тараз|Джамбул|Жамбыл
Павлодар
Усть-Каменогорск|Өскемен|Оскемен
Семей|Семипалатинск|Semipalatinsk
Атырау|Гурьев
Костанай|Қостанай|Кустанай
Кызылорда|Қызылорда
Уральск|Орал
Петропавловск|Петропавл
Актау|Ақтау
Темиртау|Теміртау
Туркестан|Түркістан
Кокшетау|Көкшетау
Талдыкорган|Талдықорған
Экибастуз|Екібастұз
Рудный
Жезказган|Жезқазған
Балхаш|Балқаш
Жанаозен|Жаңаөзен
Кентау
Сатпаев|Сәтбаев
Риддер|Лениногорск
Степногорск
Байконур|Байқоңыр
Аксу|Ақсу
Конаев|Қонаев|Капчагай|Қапшағай
Талгар
Есик|Есік
Каскелен|Қаскелең
Сарыагаш
Аральск|Арал
Щучинск
Лисаковск
Шахтинск
Сарань
Приозерск
Курчатов
Аягоз|Аягөз
Зайсан
Шемонаиха
Кульсары|Құлсары
Жаркент
Ушарал
Текели
Каратау
Жетысай
Ленгер
Арыс
Кандыагаш|Қандыағаш
Хромтау
Шалкар
Житикара
Аркалык|Арқалық
Атбасар
Бурабай|Боровое
Жанатас
Бейнеу
Шиели
Казалинск
Жетісу|Жетысу|Семиречье
Мангистау|Маңғыстау|Мангышлак
Улытау|Ұлытау
Сарыарка|Сарыарқа|Арка|Арқа
Алатау
Казахстан|Қазақстан|Kazakhstan|Qazaqstan
Россия|Ресей|Russia
Кыргызстан|Қырғызстан|Киргизия|Kyrgyzstan
Узбекистан|Өзбекстан|Uzbekistan
Таджикистан|Тәжікстан|Tajikistan
Туркменистан|Түрікменстан|Turkmenistan
Китай|Қытай|China
Монголия|Моңғолия
Турция|Түркия|Turkey
Германия|Germany
Франция|France
Англия|Британия|Britain|England
Америка|США|АҚШ|America|USA
Украина|Украина|Ukraine
Беларусь|Белоруссия|Belarus
Грузия|Georgia
Армения
Азербайджан
Европа|Еуропа|Europe
Азия|Asia
Иран|Iran
Ирак|Iraq
Израиль|Israel
Индия|India
Япония|Japan
Корея|Korea
Афганистан|Afghanistan
Пакистан|Pakistan
Сирия|Syria
Египет|Egypt
Италия|Italy
Испания|Spain
Польша|Poland
Литва|Lithuania
Латвия|Latvia
Эстония|Estonia
Финляндия|Finland
Швеция|Sweden
Норвегия|Norway
Нидерланды|Netherlands
Канада|Canada
Австралия|Australia
Сибирь|Siberia
Москва|Мәскеу|Moscow
Санкт-Петербург|Петербург
Омск
Новосибирск
Оренбург
Астрахань
Барнаул
Екатеринбург
Челябинск
Казань
Самара
Бишкек
Ташкент
Душанбе
Ашхабад|Ашгабат
Самарканд
Бухара
Ош
Нукус
Фергана
Урумчи|Үрімжі
Пекин|Бейжің|Beijing
Стамбул|Ыстамбұл|Istanbul
Анкара
Берлин
Лондон
Париж|Paris
Вашингтон|Washington
Нью-Йорк|New York
Брюссель
Вена|Vienna
Женева|Geneva
Прага
Варшава|Warsaw
Вильнюс
Рига
Таллин
Тбилиси
Баку
Ереван
Киев|Kyiv
Минск
Дубай
Сеул|Seoul
Токио|Tokyo
Алтай
Мактаарал|Мақтаарал
Шардара
Жанакорган|Жаңақорған
Казалы|Қазалы
Жосалы
Макинск
Ерейментау
Есиль|Есіл
Урджар|Үржар
Глубокое
Эмба|Ембі
Форт-Шевченко
Аксай|Ақсай
Тайынша
Мамлютка
Булаево
Мерке
Кордай|Қордай
Сарканд|Сарқан
Каркаралинск|Қарқаралы
Жетысай|Жетісай
Сайрам
Ленгер|Ленгір
Каспий|Каспий|Caspian
Балхаш|Балқаш
Бишкек|Bishkek
Ташкент|Tashkent
";

/// Public figures: `Surname Given [Patronymic]`, alternative spellings of the
/// whole line after `|`. Each produces the surname alone (which loses to a
/// registered person's own surname) and full-name sequences in both orders
/// (which win, so "Нурсултан Назарбаев" survives beside an interlocutor
/// called Нурсултан).
pub(crate) const FIGURES: &str = "
Назарбаев Нурсултан Абишевич|Назарбаев Нұрсұлтан Әбішұлы
Токаев Касым-Жомарт Кемелевич|Тоқаев Қасым-Жомарт Кемелұлы
Назарбаева Дарига Нурсултановна
Назарбаева Сара Алпысовна
Масимов Карим Кажимканович
Мамин Аскар Узакпаевич
Смаилов Алихан Асханович
Бектенов Олжас Абаевич
Сагинтаев Бакытжан Абдирович
Тасмагамбетов Имангали Нургалиевич
Ашимбаев Маулен Сагатханович
Нигматулин Нурлан Зайруллаевич
Кошанов Ерлан Жаканович
Тлеуберди Мухтар Бекбергенович
Скляр Роман Васильевич
Сапарбаев Бердибек Машбекович
Кулибаев Тимур Аскарович
Есимов Ахметжан Смагулович
Ахметов Даниал Кенжетаевич
Карин Ерлан Тынымбайулы
Досаев Ерболат Аскарбекович
Байбек Бауыржан Кадырович
Кушербаев Крымбек Елеуович
Жумангарин Серик Макашевич
Ногаев Нурлан Асканович
Койшыбаев Галымжан Тельманович
Атамкулов Бейбут Бахытжанович
Исекешев Асет Орентаевич
Умаров Аскар Кулыбекович
Абаев Даурен Аскербекович
Султанов Бахыт Турлыханович
Шукеев Умирзак Естаевич
Кожамжаров Кайрат Пернешович
Бекетаев Марат Бакытжанович
Мусин Багдат Батырбекович
Тугжанов Ералы Лукпанович
Скляр Роман Васильевич
Жакупова Светлана Кадыровна
Бердыбек Сапарбаев
Бокаев Макс
Аян Талгат
Есергепов Рамазан
Билаш Серикжан
Нарымбаев Ермек
Жыланбаев Марат
Тулесова Асия
Мамай Жанболат
Аблязов Мухтар Кабулович
Мамай Жанболат Рахметулы
Джакишев Мухтар Еркынович
Жакиянов Галымжан Бадылжанович
Сарсенбаев Алтынбек Шарипбаевич
Нуркадилов Заманбек Калабаевич
Кунаев Динмухамед Ахмедович|Қонаев Дінмұхамед Ахметұлы
Колбин Геннадий Васильевич
Кунанбаев Абай|Құнанбайұлы Абай
Валиханов Чокан|Уәлиханов Шоқан
Байтурсынов Ахмет|Байтұрсынұлы Ахмет
Букейханов Алихан|Бөкейханов Әлихан|Бөкейхан Әлихан
Ауэзов Мухтар|Әуезов Мұхтар
Сейфуллин Сакен
Жумабаев Магжан|Жұмабаев Мағжан
Жансугуров Ильяс
Майлин Беимбет
Дулатов Миржакып
Сулейменов Олжас Омарович
Шаханов Мухтар
Момышулы Бауыржан|Момышұлы Бауыржан
Молдагулова Алия
Маметова Маншук|Мәметова Мәншүк
Жабаев Жамбыл
Касымов Кенесары
Утемисов Махамбет|Өтемісұлы Махамбет
Тайманов Исатай
Сагырбайулы Курмангазы
Сатпаев Каныш|Сәтбаев Қаныш
Гагарин Юрий
Головкин Геннадий
Кудайберген Димаш|Құдайберген Димаш
Путин Владимир Владимирович
Медведев Дмитрий Анатольевич
Лукашенко Александр Григорьевич
Зеленский Владимир Александрович
Мирзиёев Шавкат
Каримов Ислам
Жапаров Садыр
Атамбаев Алмазбек
Рахмон Эмомали
Бердымухамедов Гурбангулы
Эрдоган Реджеп
Байден Джо
Трамп Дональд
Обама Барак
Меркель Ангела
Макрон Эммануэль
Ленин Владимир Ильич
Сталин Иосиф
Брежнев Леонид
Горбачёв Михаил
Ельцин Борис
Пушкин Александр
Толстой Лев
Достоевский Фёдор
Чехов Антон
Лермонтов Михаил
Шевченко Тарас
Навальный Алексей
Шойгу Сергей
Лавров Сергей
Маркс Карл
";

/// Names a public figure is known by alone (no surname), matched as
/// single tokens or sequences. Bare given names are not listed: a common
/// given name alone is far more often a private person.
pub(crate) const FIGURE_ALIASES: &str = "
Елбасы|Elbasy|Yelbasy
Абай
Абылай хан|Абылайхан
Тәуке хан|Тауке хан
Кенесары хан
Төле би|Толе би
Қазыбек би|Казыбек би
Әйтеке би|Айтеке би
Қабанбай батыр|Кабанбай батыр
Бөгенбай батыр|Богенбай батыр
Райымбек батыр
Наурызбай батыр
Құрманғазы|Курмангазы
Шоқан|Чокан
Си Цзиньпин
Нұр Отан|Нур Отан|Nur Otan
Ақ жол|Ак Жол
Аманат
";

/// Common given names (Kazakh and Russian), for spotting private persons
/// nobody registered. Latin spellings come from the skeleton folding.
pub(crate) const GIVEN_NAMES: &str = "
Абай Абзал Абылай Адиль Әділ Азамат Айбек Айдос Айдар Айдын Алибек Әлібек Алихан Әлихан Алмас Алмат Амир
Аманжол Арман Арсен Арыстан Асан Асет Әсет Аскар Асқар Асылбек Ахмет Бауыржан Бахыт Бақыт Бақытжан Бекжан
Бекзат Бердибек Берик Берік Бекет Болат Габит Ғабит Галым Ғалым Данияр Дастан Даурен Дәурен Димаш Ербол
Ерболат Ерлан Ержан Ерік Ерик Еркин Еркін Ернар Жандос Жанат Жанболат Жасулан Жасұлан Жомарт Ильяс Кайрат
Қайрат Канат Қанат Касым Қасым Куаныш Қуаныш Мади Мақсат Максат Марат Мейрам Мирас Мұхтар Мухтар Нурбек
Нұрбек Нурболат Нұрболат Нурлан Нұрлан Нурсултан Нұрсұлтан Олжас Оспан Рустем Руслан Самат Санжар Сакен
Сәкен Серик Серік Серикбол Сұлтан Султан Талгат Талғат Тимур Темирлан Темірлан Ернур Ерасыл Нурдаулет
Нұрдәулет Дархан Даулет Дәулет Бекболат Айбол Жаслан Куат Қуат Нуржан Нұржан Медет Берден Ерназар Жанибек
Жәнібек Ислам Бақберген Ермек Есен Жақсылық Жаксылык Мұрат Мурат Нұрлыбек Рахат Салават Сабит Тахир
Тұрар Турар Ұлан Улан Шыңғыс Чингиз Ельдар Эльдар Алишер Ринат Ильдар Рашид Ренат Дамир Артур
Айгерим Айгерім Айгуль Айгүл Айжан Айнур Айнұр Айман Айсулу Айсұлу Акмарал Ақмарал Алия Әлия Алтынай Алма
Альмира Анар Асель Әсел Асем Әсем Ботагоз Ботагөз Гаухар Гүлнар Гульнар Гульнара Гульмира Гүлмира Гулжан
Гүлжан Дана Динара Дина Жазира Жанар Жанна Жибек Жібек Жулдыз Жұлдыз Зарина Зауре Зәуре Индира Камила
Карлыгаш Қарлығаш Лаура Мадина Маржан Меруерт Молдир Мөлдір Назерке Назым Нургуль Нұргүл Перизат Салтанат
Сандугаш Сәуле Сауле Толганай Томирис Тамирис Умит Үміт Шолпан Эльмира Айдана Аружан Аяжан Балжан Гулим
Гүлім Жансая Камшат Күнсұлу Ләззат Роза Рауан Сабина Сымбат Улжан Ұлжан Фатима Дариға Дарига Бибигуль
Бибігүл Гулсим Гүлсім Мариям Раушан Райхан Сара Несибели Айзада Ажар Асия Әсия Гаухар Данагуль Жаннат
Кульпан Күлпан Майра Мира Сания Самал Ақерке Акерке Арайлым Дильназ Диляра Лейла Эльвира Венера Алтын
Александр Алексей Анатолий Андрей Антон Аркадий Артём Артем Борис Вадим Валентин Валерий Василий Виктор
Виталий Владимир Владислав Всеволод Вячеслав Геннадий Георгий Глеб Григорий Даниил Денис Дмитрий Евгений
Егор Иван Игорь Илья Кирилл Константин Леонид Максим Матвей Михаил Никита Николай Олег Павел Пётр Петр
Роман Семён Семен Сергей Станислав Степан Тимофей Фёдор Федор Юрий Ярослав Эдуард Вениамин Аркадий
Александра Алёна Алина Алла Анастасия Анна Антонина Валентина Валерия Вера Виктория Галина Дарья Ева
Евгения Екатерина Елена Елизавета Зинаида Зоя Инна Ирина Карина Кристина Ксения Лариса Лидия Любовь
Людмила Маргарита Марина Мария Надежда Наталья Наталия Нина Оксана Олеся Ольга Полина Раиса Светлана
София Софья Тамара Татьяна Ульяна Юлия Яна Нелли Эльвира
Айбар Ақбота Акбота Ақниет Акниет Алтынбек Аманғали Амангельды Амангелді Арна Әлішер Бағлан Баглан Болатбек
Ғалия Галия Гүлжанат Дания Диана Диас Ерғали Ергали Еркебұлан Еркебулан Ернұр Есбол Жайна Жалғас Жалгас Зере
Зейнеп Ілияс Илияс Қалиолла Құралай Куралай Мағжан Магжан Назгүл Назгуль Нұрсұлу Нурсулу Нұрислам Нурислам Рүстем
Саида Сәния Тайыр Тоғжан Тогжан Шынар Шырын Ырысты Бекасыл Дильназ Әйгерім Айым Аяулым Ақжол Акжол Бақдәулет
Богдан Владислава Вероника Злата Ангелина Арина Варвара Василиса Милана Майя Мирон Платон Родион Савелий Захар
Яков Рустам Шерзод Фарход Азат Гузель Альберт Рафаэль Зульфия Дильнара Гульнур Камиль Марсель Равиль Тагир Фарид
Шамиль Гульжан Гульжанат Райгуль Жазира Алибек Алишер Нурбол Айдын Ерасыл Елдос Ельдос Ануар Әнуар Нуржау
";

/// Given names that are also ordinary words (надежда, вера, арман "dream",
/// бақыт "happiness", азамат "citizen"). Alone at the start of a sentence
/// they are not taken for unregistered persons.
pub(crate) const HOMOGRAPH_NAMES: &str = "
Вера Надежда Любовь Роза Лилия Алма Арман Бахыт Бақыт Дана Назым Шолпан Сәуле Сауле Маржан Анар Гаухар
Жибек Жібек Үміт Умит Ажар Айнур Роман Слава Мира Нур Нұр Жанат Азамат Жомарт Қуат Куат Берік Серік Ерке
Алтын Жұлдыз Жулдыз Айман Самал Рауан Сымбат Салтанат Ләззат Медет Мирас Дәулет Даулет Ислам Дастан Дархан
Рахат Есен Ұлан Улан Майра Венера Жаннат Алия Сара Лаура Марина Мақсат Максат Ерік Ерик Еркін Еркин Талант
Болат Алмас Қуаныш Куаныш Мейрам Асыл Әсем Асем Гүл Гуль Раушан Жеңіс Женис Виктория Мила Лада Мир Айгүл Нұрлы
Ақжол Бақберген Шаттық Сұлтан Султан Хан Қаржы Сезім Жанна Ләйлә Аман Мұрат Мурат Темір Ару
Арна Шынар Айдын Жалғас Жалгас Ақниет Акниет Ырысты Канат Қанат
";

/// Frequent words of Russian, Kazakh and English. A capitalised one at the
/// start of a sentence is a sentence start, not a name (Дни ≠ Дина,
/// Кім ≠ Ким, Him ≠ Kim).
pub(crate) const STOPWORDS: &str = "
и в во не что он на я с со как а то все всё она так его но да ты к у же вы за бы по только ее её мне было вот
от меня еще ещё нет о об из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять
уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто
чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один одна одно почти
мой моя мое моё мои тем чтобы нее неё сейчас были куда зачем всех никогда можно при наконец два две об другой хоть
после над больше тот та те через эти эта это нас про всего них какая какие много разве три эту свою этой перед
иногда лучше чуть том нельзя такой такая такие им более всегда конечно всю между день дня дни дней дню днём днем
дне дно года год году лет время раза люди человек сначала сегодня вчера завтра спасибо здравствуйте пожалуйста
наш наша наши нашего наше ваш ваша ваши ваше мама папа сын дочь брат сестра жена муж семья дети каждый каждая
многие некоторые никто также однако поэтому зато либо хотя пока кстати короче вообще честно типа значит например
просто очень вместе кроме около да нет ой ах привет вот вообще нам нами вами им ими ему ей её
мен сен ол біз сіз олар бұл сол осы мына ана анау кім не неге қалай қайда қашан қандай қанша неше және бірақ
да де та те ма ме ба бе па пе ғой ғана тек әрі немесе егер онда сонда сосын кейін бұрын қазір енді әлі иә жоқ
бар рахмет сәлем жақсы әрине менің сенің оның біздің сіздің олардың маған саған оған бізге сізге оларға мені
сені оны бізді сізді оларды менде сенде бізде сізде оларда кімнің кімге кімді кімде кімнен кіммен неден нені
бәрі барлық әр әрбір бір екі үш төрт бес жаңа үлкен кіші ескі жас ауыл қала үй мектеп жыл күн ай апта уақыт адам
адамдар бала балалар ой мұнда сонда осында ешкім ештеңе кейде әрқашан тағы да
жеке қате соңғы толық барлығы ең өз өзі өзім
the a an and or but if then so as at by for from in into of on onto to with without about after before over under
between through during is are was were be been being have has had do does did not no yes i you he she it we they
me him her us them my your his its our their this that these those there here what which who whom whose when
where why how all any both each few more most other some such only own same than too very can will just should
now also well thank thanks hello hi okay ok one two three first last next dear dine done
make take like lake bake cake wake sake fake joke woke poke
";

/// Words that introduce a person's name (капитан Нуржанов, Captain Nurzhanov).
pub(crate) const TITLES: &str = "
капитан майор лейтенант сержант полковник подполковник генерал участковый следователь прокурор судья аким
депутат директор инспектор адвокат юрист доктор профессор господин госпожа товарищ гражданин гражданка мистер
миссис тергеуші сот әкім мырза ханым старшина прапорщик
captain major lieutenant sergeant colonel general officer inspector detective investigator judge prosecutor
lawyer director mr mrs ms miss dr prof professor
";

/// Kazakh and Russian honorifics that follow a name (Болат ағай, Жанар апай,
/// Bolat-ağai).
pub(crate) const HONORIFICS: &str = "
аға ағай ага агай апай апа тәте әпке ханым мырза жеңге көке ата әже
aga ağa agai ağai agha apai apay apa tate täte hanym khanym myrza
";

/// Capitalised words that are neither names nor to be reported as suspects:
/// speaker labels, months, weekdays, languages, services and institutions.
pub(crate) const COMMON_CAPS: &str = "
Интервьюер Респондент Сұхбаттасушы Interviewer Respondent Вопрос Ответ Question Answer
Январь Февраль Март Апрель Май Июнь Июль Август Сентябрь Октябрь Ноябрь Декабрь
Қаңтар Ақпан Наурыз Сәуір Мамыр Маусым Шілде Тамыз Қыркүйек Қазан Қараша Желтоқсан
January February March April May June July August September October November December
Понедельник Вторник Среда Четверг Пятница Суббота Воскресенье
Monday Tuesday Wednesday Thursday Friday Saturday Sunday
English Russian Kazakh Uzbek Kyrgyz Korean American European Soviet Islam Christmas Covid Internet
WhatsApp Telegram Instagram Facebook Signal Zoom Google YouTube TikTok Twitter Одноклассники Odnoklassniki
ВКонтакте VK Skype Viber Gmail iPhone Android Apple Samsung Windows Microsoft Excel Word
Госдеп ООН ОБСЕ OSCE USAID University Университет KIMEP Kaspi Halyk Сбербанк Каспи
Совет Госдума Дума Мажилис Мәжіліс Сенат Парламент Правительство Үкімет Министерство Минюст Минздрав
Академия Институт Комитет Прокуратура Фонд Агентство Служба Союз Партия Управление Департамент Акимат
Маслихат Ассамблея Федерация Конгресс Кремль Горничная Горничный Church Council Institute Committee
";

/// Particles and honorifics that stand inside a foreign or Kazakh name in
/// lower case (Жермена де Сталь, Карл фон Вебер, ибн Эзра, Сами аль-Хадж,
/// Наурызбай қажы Тағанұлы). A registered name's particle is matched only
/// together with the name part beside it: alone it is an ordinary word
/// (Kazakh "де", Russian "да", Dutch "van" in "van der").
pub(crate) const NAME_PARTICLES: &str = "
де ди да дю дель делла дер ден фон ван ле ла лос дос дас ибн бин бен бинт аль эль ад ас ат аш уль ар аз ан
абу ибн-аль оглы кызы қажы хаджи ходжа мырза бек хан ага аға ханум ханым бай
de di da du del della der den von van le la los dos das ibn bin ben bint al el ad as at ash ul ar az an
abu oglu ogly qazhy hajji hadji khoja
";

/// Generic words of company names: business loanwords, which Kazakhstan
/// firms write in Cyrillic (Майнинг, Сервис, Групп) and their translations
/// render in the English original (Mining, Service, Group), plus the words
/// for a settlement that follow a village's name. One line per word, its
/// spellings separated by `|`: a registered term containing one also
/// matches with the others in its place ("Көкжал Майнинг" = "Kokzhal
/// Mining"), and the distinctive words before them name the organisation
/// alone ("Көкжалдың жұмысшылары", "the Kokzhal workers").
pub(crate) const GENERIC_TERM_WORDS: &str = "
Майнинг|Mining|Maining
Сервис|Сервиз|Service|Servis|Services
Групп|Груп|Group|Grupp|Grup
Холдинг|Holding
Консалтинг|Consulting|Konsalting
Агро|Agro
Трейд|Trade|Treid
Трейдинг|Trading|Treiding
Инвест|Invest
Строй|Stroy|Stroi
Ойл|Oil|Oyl
Газ|Gas|Gaz
Энерджи|Energy|Enerdzhi
Энерго|Energo
Медиа|Media
Капитал|Capital|Kapital
Финанс|Finance|Finans
Логистик|Логистикс|Logistic|Logistics|Logistik
Менеджмент|Management|Menedzhment
Девелопмент|Development
Технолоджи|Технолоджис|Technology|Technologies|Tekhnolodzhi
Индастри|Industry|Industries|Indastri
Систем|Системс|System|Systems|Sistem|Sistems
Партнерс|Партнёрс|Partners
Моторс|Motors
Транс|Trans
Металл|Metal|Metall
Секьюрити|Security|Sekyuriti
Констракшн|Construction|Konstrakshn
Ресорсиз|Resources|Resorsiz
Голд|Gold
Минералс|Minerals
Интернешнл|International|Interneshnl
Компани|Company|Kompani
Корпорейшн|Corporation|Korporeishn
Продакшн|Production|Prodakshn
Фарм|Pharm|Farm
Фуд|Фудс|Food|Foods
Лизинг|Leasing|Lizing
Маркетинг|Marketing
Инжиниринг|Engineering|Inzhiniring
Телеком|Telecom|Telekom
Сервисез|Services
Глобал|Global
Альянс|Alliance|Alyans
Мунай|Мұнай|Munai|Munay
ауылы|ауыл|село|селосы|посёлок|поселок|village|aūyly|auyly
";

/// Ordinary words that many company names begin with: directions, colours,
/// "new", "great", "gold", the country. Before a generic word (Батыс Ойл,
/// Жаңа Сервис) they do not name the company alone.
pub(crate) const COMMON_TERM_HEADS: &str = "
Батыс Шығыс Солтүстік Оңтүстік Орталық Запад Восток Север Юг Центр Западный Восточный Северный Южный
Центральный West East North South Central Batys Shygys Жаңа Жана Новый Новая New Nova Ақ Көк Қара Сары
Алтын Күміс Altyn Gold Ұлы Ұлттық Ел Елім Отан Дала Тау Жер Су Өзен Көл Болашақ Береке Бірлік Достық
Қазақ Казах Қазақстан Казахстан Kazakh Kazakhstan Qazaq Евразия Евразийский Eurasia Азия Asia Евро Euro
Гранд Grand Мега Mega Профи Pro Эко Eco Био Bio Смарт Smart Бест Best Прайм Prime Альфа Alpha Бета Beta
Стандарт Standard Сити City Global Глобал Интер Inter Юнайтед United Нац National Республика Republic
";

/// Splits a word list into entries.
pub(crate) fn words(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.split_whitespace()
}

/// Whether a lower-case word is a name particle or honorific
/// ([`NAME_PARTICLES`]).
pub(crate) fn is_name_particle(lower: &str) -> bool {
    words(NAME_PARTICLES).any(|p| p == lower)
}

/// Splits a `|`-separated line list into (line, spellings).
pub(crate) fn lines(list: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty() && !s.ends_with('?'))
                .collect::<Vec<_>>()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_parse() {
        assert!(lines(PLACES).count() > 100);
        assert!(lines(FIGURES).all(|l| !l.is_empty()));
        assert!(words(GIVEN_NAMES).count() > 300);
        assert!(words(STOPWORDS).any(|w| w == "кім"));
    }
}
