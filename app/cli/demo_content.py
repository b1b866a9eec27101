"""Hand-written demo data (topics, names, time zones, bios, projects) for `flask seed demo`."""
from __future__ import annotations

from app.rules import TOPICS  # noqa: E402, F401  (re-exported: projects use the product's topic list)

FIRST_NAMES: tuple[str, ...] = (
    # West Africa
    "Adebayo", "Chiamaka", "Kwame", "Ama", "Oluwaseun", "Fatou", "Ibrahima", "Nneka", "Kofi", "Aminata",
    "Emeka",
    # East and Southern Africa
    "Wanjiru", "Amani", "Zawadi", "Baraka", "Achieng", "Tesfaye", "Hiwot", "Abebe", "Makena", "Jabari",
    "Thabo", "Nomvula", "Sipho", "Lindiwe", "Tendai",
    # South Asia
    "Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Meera", "Farhan", "Sanjay", "Deepika",
    "Ishaan", "Tahmina", "Nimal", "Dilani", "Bishnu", "Sunita",
    # East Asia
    "Wei", "Mei", "Haruto", "Yuki", "Sakura", "Jiho", "Minseo", "Hyun", "Jun", "Xiulan", "Ren", "Aiko",
    # Southeast Asia
    "Linh", "Minh", "Siti", "Putri", "Rizal", "Nattapong", "Kanya", "Jomar",
    # Latin America
    "Jose", "Camila", "Mateo", "Valentina", "Santiago", "Lucia", "Diego", "Ximena", "Joao", "Rafael",
    "Gabriela", "Thiago", "Luana",
    # Europe
    "Emma", "Lukas", "Sofia", "Niamh", "Oisin", "Ingrid", "Lars", "Freya", "Pierre", "Chloe", "Matteo",
    "Giulia", "Katarzyna", "Piotr", "Elena", "Dimitri", "Anouk",
    # Middle East and North Africa
    "Omar", "Layla", "Yusuf", "Karim", "Noor", "Amir", "Dalia", "Tariq", "Reza", "Shirin", "Emre",
    "Zeynep",
    # Pacific
    "Keoni", "Leilani", "Sione", "Mele", "Tane", "Aroha", "Tevita",
    # North America
    "Tyler", "Madison", "Jordan", "Avery", "Marcus", "Dakota", "Jamal", "Brianna", "Aiyana",
)

LAST_NAMES: tuple[str, ...] = (
    # West Africa
    "Okafor", "Adeyemi", "Mensah", "Boateng", "Diallo", "Ndiaye", "Traore", "Eze", "Owusu", "Balogun",
    # East and Southern Africa
    "Mwangi", "Otieno", "Kamau", "Njoroge", "Haile", "Bekele", "Tadesse", "Mutua", "Okello", "Mugisha",
    "Dlamini", "Nkosi", "Moyo", "Ndlovu", "Khumalo",
    # South Asia
    "Sharma", "Patel", "Iyer", "Reddy", "Banerjee", "Nair", "Chowdhury", "Khan", "Rahman", "Perera",
    "Shrestha", "Gurung", "Malik", "Siddiqui", "Menon",
    # East Asia
    "Wang", "Zhang", "Liu", "Chen", "Tanaka", "Sato", "Suzuki", "Watanabe", "Kim", "Park", "Choi",
    "Huang", "Yamamoto",
    # Southeast Asia
    "Nguyen", "Tran", "Pham", "Santos", "Reyes", "Wijaya", "Hidayat", "Bautista", "Srisuk",
    # Latin America
    "Garcia", "Rodriguez", "Hernandez", "Lopez", "Gonzalez", "Martinez", "Silva", "Oliveira", "Souza",
    "Ramirez", "Torres", "Flores", "Mendoza", "Castillo", "Vargas",
    # Europe
    "Muller", "Schmidt", "Dubois", "Rossi", "Bianchi", "Kowalski", "Nowak", "Jansen", "Johansson",
    "Andersen", "Murphy", "Kelly", "Novak", "Popescu", "Petrov", "Papadopoulos", "Horvath", "Lindqvist",
    "Moreau", "Ferreira",
    # Middle East and North Africa
    "Haddad", "Khalil", "Nasser", "Hosseini", "Ahmadi", "Yilmaz", "Demir", "Aziz", "Saleh", "Mizrahi",
    # Pacific
    "Tupou", "Faleolo", "Kealoha", "Ngata", "Parata", "Fifita",
    # North America
    "Smith", "Johnson", "Walker", "Begay", "Yazzie", "Tremblay", "Jackson",
)

TIME_ZONES: tuple[str, ...] = (
    "Pacific/Pago_Pago",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/Mexico_City",
    "America/New_York",
    "America/Toronto",
    "America/Bogota",
    "America/Lima",
    "America/Halifax",
    "America/Santiago",
    "America/Argentina/Buenos_Aires",
    "America/Sao_Paulo",
    "America/St_Johns",
    "Atlantic/Azores",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Warsaw",
    "Africa/Accra",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Cairo",
    "Europe/Istanbul",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Jakarta",
    "Asia/Manila",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Pacific/Kiritimati",
)

BIOS: tuple[str, ...] = (
    (
        "ICU nurse on night shifts. I tinker with small language models on my days off, mostly to see "
        "whether they can make handovers less painful."
    ),
    (
        "High-school chemistry teacher in a rural district. Building quiz generators so my students get "
        "practice that matches what we did in class."
    ),
    (
        "Backend developer, eight years of Go and Postgres. Now learning how retrieval actually works "
        "instead of just calling an API and hoping."
    ),
    (
        "Bootcamp grad from last spring. I learn best by shipping tiny things, so expect a lot of small, "
        "slightly broken projects from me."
    ),
    (
        "Retired electrical engineer. Spent forty years with oscilloscopes and now I am teaching myself "
        "reinforcement learning with a toy robot arm."
    ),
    (
        "Product designer who got tired of mocking up AI features without understanding them. Currently "
        "prototyping multimodal interfaces."
    ),
    (
        "PhD student in hydrology. I use time-series models to forecast river levels and I am slowly "
        "learning to write code other people can read."
    ),
    (
        "Data analyst at a farmers' co-op. Trying to predict market prices well enough that our members stop "
        "guessing when to sell."
    ),
    (
        "Librarian and lifelong reader. I am exploring how recommendation systems could help teenagers find "
        "books they actually finish."
    ),
    (
        "Speech therapist. I want to build practice apps that give kids feedback between sessions without "
        "replacing the human part."
    ),
    (
        "Self-taught programmer and former line cook. My current obsession is embedding every recipe I have "
        "ever saved and searching them by mood."
    ),
    (
        "Accessibility consultant, blind since birth. I test AI tools with a screen reader and write "
        "honestly about what works and what does not."
    ),
    (
        "Mechanical engineering undergrad. I build robots in the campus makerspace and I am learning "
        "computer vision so they can see where they are going."
    ),
    (
        "Freelance translator working between Swahili and English. Curious whether fine-tuning can help with "
        "the dialects that big models ignore."
    ),
    (
        "Junior ML engineer at a logistics startup. My job is mostly pipelines and monitoring, and I have "
        "come to love boring, reliable MLOps."
    ),
    (
        "Music producer who makes lo-fi beats at night. Experimenting with generative audio, but only on "
        "samples I recorded myself."
    ),
    (
        "Middle-school maths teacher. I am testing whether generated practice problems can hit the right "
        "difficulty for each student."
    ),
    (
        "GIS specialist for a county planning office. Learning to combine satellite imagery with language "
        "models to answer zoning questions."
    ),
    (
        "Family doctor in a small town. Cautiously exploring AI for paperwork so I can spend more minutes "
        "with patients and fewer with forms."
    ),
    (
        "Civic tech volunteer. On weekends I build tools that make city council documents searchable for "
        "ordinary residents."
    ),
    (
        "Stay-at-home parent relearning to code after a long break. Started with a chatbot for my kid's "
        "school and never stopped."
    ),
    (
        "Security engineer interested in prompt injection. I break assistants for a living and try to write "
        "down how to make them harder to break."
    ),
    (
        "Climate researcher who spends more time cleaning sensor data than doing science. Building anomaly "
        "detectors to get some of that time back."
    ),
    (
        "Hobbyist beekeeper and part-time electrician. Putting microphones in my hives to hear when the "
        "colony is unhappy."
    ),
    (
        "Customer support lead. I evaluate our help bot every week and keep a spreadsheet of every weird "
        "answer it has ever given."
    ),
    (
        "Second-year computer science student. Currently building a character-level language model from "
        "scratch to understand what transformers do."
    ),
    (
        "Pharmacist with an interest in knowledge graphs. Mapping drug interactions so questions get "
        "grounded answers instead of confident guesses."
    ),
    (
        "Game developer making a small pixel-art RPG. Using diffusion models for texture drafts, then "
        "painting over everything by hand."
    ),
    (
        "Financial counselor at a credit union. I want tools that explain loans in plain words to people who "
        "have been burned before."
    ),
    (
        "Agronomist working with smallholder farmers. Building an SMS assistant that answers weather and "
        "planting questions in local languages."
    ),
    (
        "Former journalist, now learning data science. Interested in summarization that does not quietly "
        "drop the inconvenient parts."
    ),
    (
        "Occupational therapist. Building voice-controlled tools for clients with limited hand mobility, one "
        "kitchen gadget at a time."
    ),
    (
        "Frontend developer who just discovered function calling. I am wiring assistants into every small "
        "app I own, possibly too many."
    ),
    (
        "Archivist at a regional museum. Using OCR and language models to make handwritten records readable "
        "without losing their context."
    ),
    (
        "Warehouse shift supervisor teaching myself Python at lunch. My first project predicts which loading "
        "docks will back up on Fridays."
    ),
    (
        "Community college instructor. I teach intro statistics and I am learning ML alongside my students, "
        "which keeps me humble."
    ),
    (
        "Site reliability engineer. I run local models on spare hardware to see how far quantization can go "
        "before the answers fall apart."
    ),
    (
        "Marine biologist studying reef health. Training vision models to count fish in underwater video so "
        "we can survey more sites."
    ),
    (
        "Nonprofit program manager with no coding background. Everything I build uses no-code tools, and I "
        "write up the limits I hit."
    ),
    (
        "Data engineer at a hospital. I care a lot about synthetic data, because real patient records should "
        "never end up in a test database."
    ),
    (
        "Ukulele teacher and amateur programmer. Building a chord helper that suggests progressions based on "
        "songs my students already like."
    ),
    (
        "Robotics hobbyist with a garage full of half-finished rovers. Currently teaching one to balance on "
        "two wheels with imitation learning."
    ),
    (
        "Urban cyclist and transit nerd. I forecast bus delays in my city because the official app is wrong "
        "more often than not."
    ),
    (
        "Clinical researcher working on fairness audits. I want to know who a model fails before anyone "
        "trusts it with a real decision."
    ),
    (
        "Designer turned prompt engineer. I treat prompts like UI copy: short, tested, and rewritten more "
        "times than anyone would believe."
    ),
    (
        "Solar installer who started logging every panel we put up. Now learning forecasting so our co-op "
        "can plan around cloudy weeks."
    ),
    (
        "Kindergarten teacher. I make read-aloud stories in two languages for my class and I am learning "
        "text-to-speech to help."
    ),
    (
        "Full-stack developer at a small agency. Building RAG systems for clients and keeping a running list "
        "of everything that went wrong."
    ),
    (
        "Retired accountant who loves puzzles. Learning anomaly detection by hunting for odd patterns in my "
        "own twenty years of expense records."
    ),
    (
        "Graduate student in linguistics. Working on speech recognition for dialects that have almost no "
        "recorded training data."
    ),
    (
        "Sound engineer for a community radio station. Experimenting with automatic captions and transcripts "
        "for our archive of interviews."
    ),
    (
        "ER physician assistant. I am skeptical of most AI demos, so I build small ones myself to see where "
        "they actually break."
    ),
    (
        "Dairy farmer and weekend coder. I use cheap cameras and a little computer vision to notice when a "
        "cow is limping before I would."
    ),
    (
        "Paralegal learning to code at night. My first serious project is a chatbot that answers tenants' "
        "questions about their leases."
    ),
    (
        "Open-source maintainer of a small Python library. Trying to make an agent useful for issue triage "
        "without annoying contributors."
    ),
    (
        "Special education teacher. Building tools that simplify reading passages without stripping out the "
        "ideas my students deserve."
    ),
    (
        "Data labeling team lead. I think a lot about annotation guidelines, disagreement between labelers, "
        "and how to pay people fairly for it."
    ),
    (
        "Mobile developer from a fintech background. Learning on-device models because I want features that "
        "keep working without a signal."
    ),
    (
        "Wildlife ranger learning audio ML. Setting up solar-powered recorders to detect chainsaws and "
        "gunshots in the forest reserve I patrol."
    ),
    (
        "Philosophy graduate turned QA tester. I write evaluation suites for language models and argue about "
        "what correct even means."
    ),
    (
        "Grandmother of five and retired typist. I am learning to build things with AI because my grandkids "
        "said I could not, and they were wrong."
    ),
    (
        "Urban planner. I use embeddings to group thousands of resident survey answers so the quiet concerns "
        "are not lost in the loud ones."
    ),
    (
        "Electrician apprentice who likes robots more than wiring. Currently building a line-following cart "
        "that carries tools around the site."
    ),
    (
        "Physics teacher who runs the school's robotics club. We are learning reinforcement learning "
        "together, mostly through failure."
    ),
    (
        "Indie game writer. Experimenting with language models as characters, and learning how much prompt "
        "structure it takes to keep them in voice."
    ),
    (
        "Nurse educator. Building case-study generators for student nurses, with every scenario reviewed by "
        "a human before class."
    ),
    (
        "Bioinformatics postdoc. I mostly work with protein data, but lately I have been building knowledge "
        "graphs of lab protocols for my group."
    ),
    (
        "Translator and subtitle editor. Curious about speech-to-text for films, especially for languages "
        "with very little open data."
    ),
    (
        "Freelance illustrator. I am learning how diffusion models work so I can talk about them with "
        "clients honestly, not just with fear."
    ),
    (
        "Ops manager at a food bank. Forecasting donation volume so we can schedule volunteers without "
        "overbooking quiet Tuesdays."
    ),
    (
        "Software tester in a bank. Building anomaly detectors on synthetic transactions because I am not "
        "allowed to touch the real ones."
    ),
    (
        "Audio book narrator. Testing text-to-speech for the books that would never get a human narrator, "
        "and learning where voices still fall short."
    ),
    (
        "Computer vision engineer at a drone startup. I label more images than I would like and I am always "
        "looking for ways to label fewer."
    ),
    (
        "Career changer from hospitality. I am six months into learning to code and my goal is one small "
        "working AI project per month."
    ),
    (
        "High-school senior. I built a homework helper for my younger siblings and now I am learning how to "
        "make it stop giving away answers."
    ),
    (
        "Housing advocate. I map rental listings and flag the ones with hidden fees so tenants know what "
        "they are getting into."
    ),
    (
        "Researcher in AI safety education. I design exercises that show students how models fail, because "
        "those lessons tend to stick."
    ),
    (
        "Embedded engineer. I squeeze models onto microcontrollers and enjoy the challenge of making every "
        "kilobyte count."
    ),
    (
        "Musician and music therapist. Exploring whether generative tools can help my clients make songs "
        "when their hands cannot play."
    ),
    (
        "Environmental science student. Mapping urban tree cover from satellite tiles to show which "
        "neighbourhoods are missing shade."
    ),
)

PROJECTS: tuple[dict, ...] = (
    {
        "title": "Bedside handover summaries with a local Llama model",
        "description": (
            "I built a small tool that turns my rough shift notes into a structured SBAR handover, running "
            "entirely on a laptop so no patient data leaves the ward. A 7B model quantized to 4 bits was "
            "fast enough, but it sometimes invented vital signs.\n\n"
            "Now every field links back to the sentence it came from, and colleagues trust it far more "
            "because they can check the source in one click."
        ),
        "topics": ["local-llms", "ai-for-health", "nlp"],
    },
    {
        "title": "Flashcard generator that quizzes my class on yesterday's notes",
        "description": (
            "Each evening I paste my lesson notes in and get twenty flashcards for the next morning. The "
            "first version asked trivia about page layout, so I added a prompt that forces every card to "
            "test one concept from the notes. Students now ask for the cards if I forget to print them."
        ),
        "topics": ["ai-for-education", "prompt-engineering", "nlp"],
    },
    {
        "title": "Cassava leaf disease spotter that runs on a cheap Android phone",
        "description": (
            "We collected about 3,000 leaf photos with farmers in our co-op and trained a small image "
            "classifier for four common diseases. It runs offline on entry-level phones in under a second. "
            "Accuracy dropped badly in harsh midday light, so we added a tip to shoot leaves in shade, which "
            "helped more than any model change."
        ),
        "topics": ["computer-vision", "data-labeling"],
    },
    {
        "title": "Searchable meeting notes from voice memos for a tenants' union",
        "description": (
            "Our volunteers record meetings on their phones. I transcribe the audio, split it into short "
            "passages, and embed them so anyone can search for what was said about the boiler or the rent "
            "increase. Crosstalk still confuses the transcripts, but being able to find a decision from "
            "March is already a huge win."
        ),
        "topics": ["speech-to-text", "embeddings", "nlp"],
    },
    {
        "title": "Question answering over forty years of city council minutes",
        "description": (
            "Most of the older minutes were scanned PDFs, so the first month was just OCR clean-up. After "
            "that I built a retrieval pipeline that answers questions with links to the exact page. The "
            "hardest part was dates: the model kept mixing up which year a vote happened until I put the "
            "meeting date into every chunk."
        ),
        "topics": ["rag", "vector-databases", "ocr"],
    },
    {
        "title": "Evaluating three chunking strategies for a legal aid FAQ bot",
        "description": (
            "I compared fixed-size chunks, paragraph chunks, and heading-aware chunks on 150 real questions "
            "from our legal aid clinic. Heading-aware chunking won clearly on answer correctness, while "
            "fixed-size chunks looked fine on average but failed hard on questions about exceptions and "
            "deadlines."
        ),
        "topics": ["rag", "llm-evals", "chatbots"],
    },
    {
        "title": "A tiny agent that books my climbing gym slots",
        "description": (
            "The booking page opens slots at midnight and they vanish in minutes. I gave a model two tools, "
            "one to list free slots and one to book, plus a short list of my preferred times. It works, but "
            "I learned to cap it at one booking per run after it happily reserved three sessions on the same "
            "evening."
        ),
        "topics": ["agents", "function-calling"],
    },
    {
        "title": "Fine-tuning a small model to write commit messages in our team style",
        "description": (
            "I exported five thousand commits from our monorepo and fine-tuned a 1B model with LoRA to turn "
            "diffs into messages. It learned our prefixes and tone quickly but struggled with large "
            "refactors. We now use it only for diffs under 300 lines, where reviewers accept the suggestion "
            "about two thirds of the time."
        ),
        "topics": ["fine-tuning", "small-language-models", "code-generation"],
    },
    {
        "title": "Lo-fi beat generator trained only on my own sample library",
        "description": (
            "I trained a small audio diffusion model on six years of my own drum loops and vinyl crackle "
            "recordings. The output is muddy above 8 kHz, so I treat it as a sketchpad and re-record the "
            "parts I like. Owning every sample in the training set means I can release what comes out "
            "without worrying."
        ),
        "topics": ["ai-music", "diffusion-models"],
    },
    {
        "title": "Screen reader companion that describes charts in plain language",
        "description": (
            "When my screen reader hits a chart it usually just says image. This browser extension sends the "
            "chart to a vision model and asks for the trend, the extremes and the axis labels in three "
            "sentences. It is great with bar charts and still unreliable with dense scatter plots, which I "
            "flag in the description it reads out."
        ),
        "topics": ["accessibility", "multimodal", "computer-vision"],
    },
    {
        "title": "Forecasting bakery demand so we stop throwing out bread",
        "description": (
            "Using two years of till data and the local weather, I built a daily forecast for each loaf type "
            "with a simple gradient boosting model. Waste fell by about a fifth in the first two months. "
            "Holidays are still a mess because we only have two examples of each one, so the head baker "
            "overrides those days by hand."
        ),
        "topics": ["time-series", "no-code-ai"],
    },
    {
        "title": "Knowledge graph of medicinal plants from old botany texts",
        "description": (
            "I digitised three public-domain herbals and used a language model to extract plant, preparation "
            "and claimed use as triples. About a third of the extractions needed fixing by hand. The graph "
            "is now a fun way to explore history, and I added a loud note that it is not medical advice."
        ),
        "topics": ["knowledge-graphs", "ocr", "nlp"],
    },
    {
        "title": "Teaching a robot arm to sort recycling with reinforcement learning",
        "description": (
            "I trained a grasping policy in simulation with PPO, then moved it to a cheap four-axis arm that "
            "sorts cans from cardboard. The sim-to-real gap was brutal: lighting and friction differences "
            "dropped success from 90 to 40 percent. Randomising textures and mass in the simulator got it "
            "back to about 70."
        ),
        "topics": ["reinforcement-learning", "robotics", "computer-vision"],
    },
    {
        "title": "Bilingual bedtime stories read aloud in Yoruba and English",
        "description": (
            "I write short stories with my kids, translate them with help from family, and generate audio in "
            "both languages. English voices are excellent; Yoruba tones were often wrong, so I recorded my "
            "mother reading the tricky words and now mix her clips in. The kids prefer grandma's parts "
            "anyway."
        ),
        "topics": ["text-to-speech", "nlp", "ai-for-education"],
    },
    {
        "title": "Jailbreak test suite for our customer support bot",
        "description": (
            "I collected around 400 adversarial prompts, from role-play tricks to fake system messages, and "
            "run them against our support bot before every release. The first run leaked part of the system "
            "prompt in 12 percent of cases. Separating instructions from retrieved text and adding an output "
            "check cut that to under one."
        ),
        "topics": ["ai-safety", "llm-evals", "chatbots"],
    },
    {
        "title": "Synthetic patient records for testing a clinic scheduling app",
        "description": (
            "Developers kept asking for real data to test edge cases. I built a generator that produces "
            "believable patients with appointment histories, cancellations and overlapping referrals, all "
            "statistically shaped like our clinic but tied to nobody. It caught two double-booking bugs in "
            "the first week."
        ),
        "topics": ["synthetic-data", "ai-for-health"],
    },
    {
        "title": "Flood extent maps from free satellite radar tiles",
        "description": (
            "Radar sees through clouds, which matters when it is raining. I trained a U-Net on labelled "
            "radar tiles to segment standing water and compared the output to drone photos from the district "
            "office. It finds large floods well but misses water in narrow streets, where buildings create "
            "radar shadows."
        ),
        "topics": ["geospatial", "climate-ai", "computer-vision"],
    },
    {
        "title": "Book recommendations for reluctant teen readers",
        "description": (
            "Students fill in a short form about shows and games they like, and I match their answers "
            "against embedded book blurbs from our school library. Pure similarity kept recommending the "
            "same five popular titles, so I added a diversity penalty. Checkouts by students who rarely "
            "borrow went up noticeably this term."
        ),
        "topics": ["recommendation", "embeddings", "ai-for-education"],
    },
    {
        "title": "No-code receipt sorter for a community garden treasurer",
        "description": (
            "Our treasurer photographs receipts and drops them in a shared folder. A no-code automation runs "
            "OCR, picks out the vendor, date and total, and adds a row to our budget sheet. It handles "
            "printed receipts well and handwritten market receipts poorly, so those go into a review column."
        ),
        "topics": ["no-code-ai", "ocr"],
    },
    {
        "title": "SMS weather assistant for small-scale farmers",
        "description": (
            "Farmers text a question like should I spray tomorrow, and the assistant calls a forecast tool "
            "and a crop calendar tool before answering in two short sentences. Keeping replies under 160 "
            "characters was the real design challenge. We learned to answer the decision first and the "
            "reasoning second."
        ),
        "topics": ["function-calling", "chatbots", "climate-ai"],
    },
    {
        "title": "Nightly retraining for a churn model, with drift alerts",
        "description": (
            "The churn model was trained once and slowly got worse. I set up a nightly job that retrains it, "
            "compares it against the current model on a held-out week, and only promotes it if it wins. A "
            "simple population stability check on the inputs now pages us when a feature suddenly changes "
            "shape."
        ),
        "topics": ["mlops", "anomaly-detection"],
    },
    {
        "title": "Birdsong identifier for my backyard feeder",
        "description": (
            "A microphone by the feeder records short clips, and a pretrained audio classifier guesses the "
            "species. I fine-tuned the last layer on a few hundred clips I labelled myself because local "
            "birds kept being called something exotic. It now tells sparrows from finches fairly well but "
            "still hates windy days."
        ),
        "topics": ["audio-classification", "climate-ai", "fine-tuning"],
    },
    {
        "title": "Sign language alphabet recognizer using hand landmarks",
        "description": (
            "Instead of training on raw images, I extract 21 hand landmarks per frame and train a small "
            "classifier on those coordinates. It learned static letters quickly, but letters that involve "
            "motion need a sequence model, which is my next step. Deaf friends helped me label and told me "
            "where it felt patronising."
        ),
        "topics": ["computer-vision", "accessibility"],
    },
    {
        "title": "Prompt library for drafting IEP goals that teachers actually use",
        "description": (
            "Special education teachers spend hours writing measurable goals. I built a small set of tested "
            "prompts that take a student's current level and produce draft goals in the required format. "
            "Drafts always go to a teacher for editing, and we found that giving two options works better "
            "than one."
        ),
        "topics": ["prompt-engineering", "ai-for-education"],
    },
    {
        "title": "Local semantic search over my 3,000 saved recipes",
        "description": (
            "Years of bookmarks, screenshots and notes were impossible to search. I embedded everything with "
            "a small open model on my laptop and now I can search for something warm with lentils and no "
            "oven. It struggles with quantities but works wonderfully for vague cravings."
        ),
        "topics": ["embeddings", "vector-databases", "local-llms"],
    },
    {
        "title": "Postgres vector extension versus a dedicated vector store at 2M rows",
        "description": (
            "We benchmarked both on two million product embeddings with realistic filters. The Postgres "
            "option was simpler to run and fast enough after tuning the index, while the dedicated store was "
            "quicker on heavy filtered queries. We stayed with Postgres because one fewer service matters "
            "more to a team of three."
        ),
        "topics": ["vector-databases", "embeddings", "mlops"],
    },
    {
        "title": "Diffusion texture drafts for a pixel-art game",
        "description": (
            "I generate rough tile textures at high resolution, downsample them to 32 pixels, and then "
            "repaint them by hand. The model is good at suggesting colour palettes and terrible at seamless "
            "edges. It saved me time on exploration, but the final art is still mine."
        ),
        "topics": ["diffusion-models", "synthetic-data"],
    },
    {
        "title": "A pair-programming agent that writes tests before touching code",
        "description": (
            "The agent must write a failing test, run it, and only then edit source files. Forcing that "
            "order cut down on confident but wrong patches. It still gets stuck in loops on flaky tests, so "
            "I limit it to five runs and ask it to explain what it tried before it gives up."
        ),
        "topics": ["agents", "code-generation", "llm-evals"],
    },
    {
        "title": "Budget coach that reads my bank CSV exports",
        "description": (
            "The chatbot can call tools that sum spending by category and month, so it never does arithmetic "
            "in its head. Asking why did I spend more in March gives a real answer backed by numbers. Messy "
            "merchant names were the biggest problem, and a small lookup table fixed most of them."
        ),
        "topics": ["chatbots", "function-calling", "anomaly-detection"],
    },
    {
        "title": "Bus delay predictor for my city's ten busiest lines",
        "description": (
            "I logged real-time vehicle positions for four months and trained a model to predict arrival "
            "delays per stop. It beats the official timetable by a wide margin during rush hour. Roadworks "
            "still surprise it, so I am trying to pull in the city's road closure feed as a feature."
        ),
        "topics": ["time-series", "geospatial"],
    },
    {
        "title": "Solar output forecaster for a rooftop energy co-op",
        "description": (
            "We combine panel readings with cloud cover forecasts to predict tomorrow's output per building. "
            "A plain linear model with good features was almost as accurate as a neural network and far "
            "easier to explain to members. We use the forecast to time laundry rooms and water heaters."
        ),
        "topics": ["time-series", "climate-ai"],
    },
    {
        "title": "Multilingual intake form reader for a community clinic",
        "description": (
            "Patients fill in paper forms in five languages. The pipeline runs OCR, translates the free-text "
            "answers, and fills a structured record that staff review before saving. Checkboxes were "
            "surprisingly hard to read reliably, so we redesigned the form to use larger boxes."
        ),
        "topics": ["ocr", "nlp", "ai-for-health"],
    },
    {
        "title": "Checking whether cited sources really support the answer",
        "description": (
            "For each sentence in a generated answer, a second model checks whether the cited passage "
            "actually supports it and labels it supported, partial or unsupported. On our test set about 15 "
            "percent of citations were decorative. Showing those labels to users made them much more careful "
            "readers."
        ),
        "topics": ["llm-evals", "rag", "ai-safety"],
    },
    {
        "title": "Kid-safe homework helper with a content policy I wrote myself",
        "description": (
            "Before letting my nine-year-old use a chatbot, I wrote a one-page policy covering topics, tone "
            "and when to say ask a grown-up. Every message passes through a classifier first. Writing the "
            "policy forced me to decide what I actually wanted, which was harder than building the filter."
        ),
        "topics": ["ai-safety", "ai-for-education", "prompt-engineering"],
    },
    {
        "title": "Labeling 5,000 drone images of weeds with a team of three",
        "description": (
            "We drew boxes around weeds in field photos for a spot-spraying project. The guidelines went "
            "through six versions because we kept disagreeing about partly hidden plants. Measuring "
            "agreement between labelers every week showed us where the guide was vague long before the model "
            "did."
        ),
        "topics": ["data-labeling", "computer-vision", "geospatial"],
    },
    {
        "title": "Active learning loop that halved our annotation budget",
        "description": (
            "Rather than labelling random samples, we let the model pick the examples it was least sure "
            "about. We reached the same accuracy with about half as many labels. The catch was that "
            "uncertain examples are also the hardest ones, so annotators needed more time and more breaks "
            "per batch."
        ),
        "topics": ["data-labeling", "mlops"],
    },
    {
        "title": "Distilling a big model into a phone-sized intent classifier",
        "description": (
            "A large model labelled 50,000 support messages with intents, and I trained a tiny model on "
            "those labels. The small one runs on-device in a few milliseconds and keeps about 94 percent of "
            "the teacher's accuracy. It inherits the teacher's mistakes too, so I hand-checked the rarest "
            "intents."
        ),
        "topics": ["small-language-models", "fine-tuning", "nlp"],
    },
    {
        "title": "Offline phrase translator for a rural health post",
        "description": (
            "The health post has no reliable internet, so everything runs on a donated laptop. A small local "
            "model translates common clinical phrases between English and two regional languages. We "
            "restricted it to a vetted phrase list after free-form translation produced a dangerous dosage "
            "error in testing."
        ),
        "topics": ["local-llms", "small-language-models", "ai-for-health"],
    },
    {
        "title": "Graph-backed retrieval for internal engineering runbooks",
        "description": (
            "Our runbooks reference services, alerts and owners. I extracted those entities into a graph and "
            "retrieve along its edges as well as by text similarity. Questions like who owns the thing that "
            "pages us at night finally get correct answers, though keeping the graph current is a chore."
        ),
        "topics": ["knowledge-graphs", "rag"],
    },
    {
        "title": "Chord progression suggester that learns from my songbook",
        "description": (
            "I encoded 300 songs from my teaching songbook as chord sequences and trained a small next-chord "
            "model. Students pick a starting chord and get three suggestions ranked by how common they are "
            "in songs they know. It is predictable by design, which beginners find comforting."
        ),
        "topics": ["ai-music", "recommendation"],
    },
    {
        "title": "Live captions for a small church livestream",
        "description": (
            "Members with hearing loss asked for captions, and paid services were out of budget. I run an "
            "open speech model on a used GPU with a few seconds of delay. Names and hymn titles were often "
            "wrong until I added a custom vocabulary list that the volunteers update each week."
        ),
        "topics": ["speech-to-text", "accessibility"],
    },
    {
        "title": "Audiobook of my grandmother's typed memoir",
        "description": (
            "Her memoir existed only as a faded typescript. I scanned and OCR'd it, fixed errors by hand, "
            "and generated an audiobook with a warm synthetic voice. Family members who never read the pages "
            "have now listened to all of it, which made the tedious proofreading worth it."
        ),
        "topics": ["text-to-speech", "ocr"],
    },
    {
        "title": "Reinforcement learning agent for my homemade card game",
        "description": (
            "I wrote the rules as a simple environment and trained an agent through self-play. It found an "
            "opening strategy that breaks the game, which told me more about my design than any playtest. I "
            "rebalanced two cards and retrained until no single strategy won more than 60 percent of games."
        ),
        "topics": ["reinforcement-learning", "agents"],
    },
    {
        "title": "Price anomaly alerts for a farmers market co-op",
        "description": (
            "Members report prices weekly, and the system flags prices far from the seasonal pattern for "
            "that product. Most alerts are data-entry mistakes like a missing decimal point. Real anomalies, "
            "like a sudden onion price spike, now reach members a few days before the news."
        ),
        "topics": ["anomaly-detection", "time-series"],
    },
    {
        "title": "Spreadsheet formula explainer for small business owners",
        "description": (
            "Paste in a scary formula and get a plain-language explanation plus a simpler version if one "
            "exists. I built it with a no-code form and a carefully structured prompt. Nested lookups were "
            "explained well, but array formulas sometimes got subtly wrong rewrites, so it now warns before "
            "suggesting those."
        ),
        "topics": ["no-code-ai", "prompt-engineering"],
    },
    {
        "title": "Pothole reporting app that classifies road damage",
        "description": (
            "Residents snap a photo and the app classifies the damage, estimates severity and attaches a GPS "
            "point. Reports cluster on a public map so the city can see hot spots. The hardest bit was "
            "dealing with photos of puddles, which the model confidently called potholes."
        ),
        "topics": ["computer-vision", "geospatial"],
    },
    {
        "title": "Practice maths problems pitched at exactly the right difficulty",
        "description": (
            "I generate problems from templates, ask a model to vary the context, and estimate difficulty "
            "from how earlier students did on similar items. Checking every generated answer with a symbolic "
            "solver was essential, because about one in twenty model answers was wrong."
        ),
        "topics": ["ai-for-education", "synthetic-data", "llm-evals"],
    },
    {
        "title": "Pronunciation practice app for speech therapy homework",
        "description": (
            "Kids read target words aloud and the app compares the recognised sounds with the expected ones. "
            "A general speech model was too forgiving, hearing what it expected rather than what was said. "
            "Scoring at the phoneme level worked better, and therapists set their own thresholds per child."
        ),
        "topics": ["speech-to-text", "ai-for-health", "accessibility"],
    },
    {
        "title": "Text simplifier for adults learning to read",
        "description": (
            "The tool rewrites news articles at three reading levels while keeping names, numbers and facts "
            "intact. We test every rewrite by checking that key facts survive. Early versions dropped "
            "whatever was complicated, which is exactly the wrong thing to do for adult learners."
        ),
        "topics": ["nlp", "accessibility", "ai-for-education"],
    },
    {
        "title": "Alt-text suggestions for a nonprofit's photo library",
        "description": (
            "We had 2,000 images on our site with no alt text. A vision model drafts a description, and a "
            "volunteer edits it before publishing. Drafts were wordy and described clothing in odd detail, "
            "so we tuned the prompt to focus on what the photo is doing on that page."
        ),
        "topics": ["multimodal", "accessibility"],
    },
    {
        "title": "Wildfire smoke forecast dashboard from low-cost air sensors",
        "description": (
            "Community members host cheap particulate sensors, and I forecast the next twelve hours of smoke "
            "for each neighbourhood. The sensors drift, so I calibrate them against the one official monitor "
            "in town. The dashboard is simple on purpose: green, yellow or red, with the reasoning one click "
            "away."
        ),
        "topics": ["climate-ai", "time-series", "geospatial"],
    },
    {
        "title": "Allergy-aware recipe substitution chatbot",
        "description": (
            "Ask how to make a recipe without eggs or nuts and the bot checks a small ingredient graph "
            "before it suggests swaps. Grounding it in the graph stopped it from recommending almond flour "
            "to someone avoiding tree nuts, which the ungrounded version did more than once."
        ),
        "topics": ["chatbots", "knowledge-graphs", "ai-for-health"],
    },
    {
        "title": "Auto-tagging twenty years of family photos on a home server",
        "description": (
            "I embed every photo with an image-text model on an old desktop and search with phrases like "
            "beach with grandpa. Face grouping is opt-in for each family member. Indexing took three days, "
            "and searching old scanned prints works worse than digital photos because of the colour casts."
        ),
        "topics": ["computer-vision", "embeddings", "local-llms"],
    },
    {
        "title": "Evaluation harness for our SQL-writing assistant",
        "description": (
            "We keep 250 natural-language questions with known correct results. For each release we run the "
            "generated SQL against a test database and compare result sets rather than query text. That "
            "single change made our scores meaningful, because there are many correct ways to write the same "
            "query."
        ),
        "topics": ["llm-evals", "code-generation"],
    },
    {
        "title": "Plain-English questions against a school district enrollment database",
        "description": (
            "Principals can ask things like how many new students joined grade six this year. The model sees "
            "the schema and a few example queries, writes SQL, and calls a read-only tool to run it. Every "
            "answer shows the query so the data team can catch mistakes, and they regularly do."
        ),
        "topics": ["code-generation", "function-calling", "rag"],
    },
    {
        "title": "Issue triage agent for a small open-source library",
        "description": (
            "The agent reads new issues, suggests labels, asks for missing version info and links likely "
            "duplicates. It only comments with a maintainer's approval for now. Contributors liked the "
            "duplicate links most, and disliked early versions that sounded too cheerful."
        ),
        "topics": ["agents", "nlp"],
    },
    {
        "title": "Stem separation so I can practise bass lines slowly",
        "description": (
            "I run songs through an open source separation model, mute the bass, slow the rest down, and "
            "play along. Separation is clean on studio recordings and messy on live albums. It changed how I "
            "practise more than any course I have paid for."
        ),
        "topics": ["ai-music", "ai-for-education"],
    },
    {
        "title": "Grading specialty coffee beans with a fine-tuned vision model",
        "description": (
            "A roaster friend sorted thousands of beans into defect categories while I photographed them on "
            "a light box. Fine-tuning a pretrained vision model got us to reasonable accuracy on six "
            "defects. Broken beans are easy; insect damage is tiny and still needs a human eye."
        ),
        "topics": ["computer-vision", "fine-tuning", "data-labeling"],
    },
    {
        "title": "Sleep diary chatbot that spots patterns over weeks",
        "description": (
            "Each morning I answer four questions by chat, and the bot stores them as a time series. Weekly "
            "it summarises patterns like later bedtimes after late screen use. It is careful not to "
            "diagnose, and it suggests seeing a doctor if certain answers repeat."
        ),
        "topics": ["chatbots", "time-series", "ai-for-health"],
    },
    {
        "title": "Invoice extraction with structured outputs and schema checks",
        "description": (
            "Invoices are OCR'd and the model must return JSON matching a strict schema with totals, tax and "
            "line items. A validator checks that line items add up to the total. Around eight percent fail "
            "validation and go to a person, which is far better than silent errors."
        ),
        "topics": ["ocr", "function-calling"],
    },
    {
        "title": "Red-teaming a peer support chatbot before launch",
        "description": (
            "A group of counsellors and I spent two weeks trying to make the bot say harmful things in "
            "emotionally difficult conversations. We found failures in long conversations that short tests "
            "never reached. The launch got delayed, and a human handoff was added for several risk signals."
        ),
        "topics": ["ai-safety", "chatbots", "ai-for-health"],
    },
    {
        "title": "Synthetic dispatch conversations to train an intent model",
        "description": (
            "Real emergency dispatch transcripts are off-limits, so we generated thousands of varied "
            "synthetic calls from scenarios written by former dispatchers. A model trained on them did well "
            "on synthetic tests and noticeably worse on the small set of real, consented recordings. "
            "Diversity in the scenarios mattered most."
        ),
        "topics": ["synthetic-data", "fine-tuning", "nlp"],
    },
    {
        "title": "Finding duplicate bug reports with vector search",
        "description": (
            "We embedded ten thousand existing bug reports and show the five closest matches when someone "
            "files a new one. Reporters close about a fifth of new issues themselves as duplicates. Stack "
            "traces needed separate handling because they drowned out the written description."
        ),
        "topics": ["embeddings", "vector-databases", "nlp"],
    },
    {
        "title": "Rental listing reader that flags hidden fees",
        "description": (
            "The tool extracts rent, deposit and every mentioned fee from listing text into a structured "
            "record, then highlights costs that are not in the headline price. It catches obvious fees well "
            "and misses ones hidden in photos of printed notices, which is the next thing I want to handle."
        ),
        "topics": ["nlp", "function-calling"],
    },
    {
        "title": "Versioned prompts and A/B tests for a newsletter drafter",
        "description": (
            "Prompts live in files with version numbers, and each newsletter draft records which version "
            "produced it. Editors rate drafts blind, which let us compare versions honestly. The winning "
            "prompt was shorter than the one we were most proud of."
        ),
        "topics": ["prompt-engineering", "llm-evals", "mlops"],
    },
    {
        "title": "Automatic chapters for recorded lectures using transcripts and slides",
        "description": (
            "I combine the transcript with detected slide changes to split each lecture into titled "
            "chapters. Slide changes alone were too noisy, and transcripts alone missed topic shifts. "
            "Together they produce chapters students actually use when revising."
        ),
        "topics": ["multimodal", "speech-to-text", "ai-for-education"],
    },
    {
        "title": "Matching volunteers to local opportunities with a small graph",
        "description": (
            "Volunteers, skills, organisations and neighbourhoods are nodes in a graph, and recommendations "
            "come from short paths between them. It explains itself well: you were matched because you speak "
            "Tagalog and live near this food bank. Cold-start volunteers still get generic suggestions."
        ),
        "topics": ["knowledge-graphs", "recommendation"],
    },
    {
        "title": "Beehive health monitor from entrance camera and hive sound",
        "description": (
            "A camera counts bees at the entrance and a microphone records the hum inside. I trained a "
            "detector on the audio to spot the change in sound before swarming. It raised two correct early "
            "warnings last season and one false alarm during a thunderstorm."
        ),
        "topics": ["audio-classification", "computer-vision", "anomaly-detection"],
    },
    {
        "title": "Drone path planning in a simulated orchard",
        "description": (
            "I trained an RL policy to cover every tree row for inspection while saving battery. In "
            "simulation it found routes about 15 percent shorter than our hand-made plans. We have not flown "
            "it for real yet, because the simulator does not model wind and I do not trust it without that."
        ),
        "topics": ["reinforcement-learning", "robotics", "geospatial"],
    },
    {
        "title": "Self-hosted coding assistant on a single consumer GPU",
        "description": (
            "I run a quantized code model locally and connect it to my editor for completions and small "
            "refactors. Latency is fine for short completions and painful for long explanations. Keeping "
            "code off third-party servers was the whole point, and it works well enough that I use it daily."
        ),
        "topics": ["local-llms", "code-generation"],
    },
    {
        "title": "Model cards and an eval dashboard for our team's classifiers",
        "description": (
            "Every model we deploy now has a short card listing data sources, known weaknesses and "
            "evaluation results by subgroup. A dashboard updates the numbers automatically after each "
            "training run. Writing the first cards exposed a model nobody could explain, which we retired."
        ),
        "topics": ["mlops", "llm-evals", "ai-safety"],
    },
    {
        "title": "Bias audit of a resume screening prototype",
        "description": (
            "Before the prototype went anywhere, I swapped names, gaps in employment and school names across "
            "otherwise identical resumes. Scores shifted noticeably for career gaps and for certain "
            "universities. The project was paused, and the audit became a template for other internal tools."
        ),
        "topics": ["ai-safety", "nlp", "llm-evals"],
    },
    {
        "title": "Voice-controlled kitchen timer for my dad with low vision",
        "description": (
            "Dad can say set a timer for the rice, twelve minutes and the device confirms out loud. Speech "
            "recognition runs on the device, and the model calls a small set of timer functions. Naming "
            "timers mattered more than I expected, because he often has three going at once."
        ),
        "topics": ["speech-to-text", "accessibility", "function-calling"],
    },
    {
        "title": "Street-level tree canopy estimates from satellite tiles",
        "description": (
            "I segment tree canopy in aerial tiles and aggregate it per block to show which streets lack "
            "shade. Our estimates matched a manual survey within a few percent in most areas. Shadows from "
            "tall buildings were the main source of error in the city centre."
        ),
        "topics": ["geospatial", "computer-vision", "climate-ai"],
    },
    {
        "title": "Loan terms explainer for first-time borrowers",
        "description": (
            "Paste in a loan offer and the assistant explains the total cost, the interest type and any "
            "penalties in plain words. All numbers come from a calculator tool rather than the model itself. "
            "Credit union members said the side-by-side comparison was the most useful part."
        ),
        "topics": ["chatbots", "function-calling", "prompt-engineering"],
    },
    {
        "title": "Early warning for motor failures from vibration sensors",
        "description": (
            "A small sawmill fitted cheap accelerometers to four motors, and I trained an autoencoder on "
            "normal vibration. Rising reconstruction error flagged a failing bearing about nine days before "
            "it seized. False alarms happen whenever the mill cuts unusually hard wood."
        ),
        "topics": ["anomaly-detection", "time-series"],
    },
    {
        "title": "Museum audio guide in six languages with a consenting narrator's voice",
        "description": (
            "Our volunteer narrator recorded an hour of English, agreed in writing to voice cloning for this "
            "project, and we generated guides in six languages. Visitors liked hearing the same voice "
            "everywhere. Place names in some languages needed manual pronunciation fixes."
        ),
        "topics": ["text-to-speech", "multimodal"],
    },
    {
        "title": "On-device keyword spotting for a wheelchair controller",
        "description": (
            "A microcontroller listens for five short commands and sends them to the chair's controller. The "
            "model is under 100 KB and runs without any network. Safety came first: every command needs a "
            "confirmation word, and the physical joystick always wins."
        ),
        "topics": ["audio-classification", "accessibility", "robotics"],
    },
    {
        "title": "Grouping thousands of survey answers for a city planning board",
        "description": (
            "We embedded 6,000 free-text answers and clustered them, then had a model draft a name for each "
            "cluster. Planners reviewed every cluster and merged a few. Small clusters about accessibility "
            "and night-time safety would have been lost in a word cloud."
        ),
        "topics": ["nlp", "embeddings"],
    },
    {
        "title": "Fine-tuned image model for handmade jewelry product photos",
        "description": (
            "I trained a LoRA on photos of my own jewelry so I can try new backgrounds and lighting before a "
            "real shoot. It keeps the pieces recognisable but sometimes adds extra stones. I only use the "
            "results as planning boards, never as listing photos."
        ),
        "topics": ["diffusion-models", "fine-tuning"],
    },
    {
        "title": "Grading rubric assistant that explains every score",
        "description": (
            "Teachers paste a rubric and a student essay, and the assistant suggests a score per criterion "
            "with a quote from the essay as evidence. Teachers make the final call. Requiring quotes stopped "
            "vague feedback and made disagreements easy to discuss."
        ),
        "topics": ["ai-for-education", "prompt-engineering", "llm-evals"],
    },
    {
        "title": "Plain-language rewrites of hospital discharge instructions",
        "description": (
            "Discharge sheets are often written at a college reading level. The tool rewrites them simply "
            "while keeping medication names and doses exact, and a pharmacist reviews each template. "
            "Patients in a small pilot asked fewer follow-up questions by phone."
        ),
        "topics": ["ai-for-health", "nlp", "llm-evals"],
    },
    {
        "title": "Transcribing handwritten historical census records",
        "description": (
            "Off-the-shelf OCR failed on nineteenth-century handwriting, so volunteers transcribed 4,000 "
            "lines to fine-tune a handwriting model. It now gets most names right and struggles with "
            "abbreviations. Volunteers correct its output instead of starting from a blank page."
        ),
        "topics": ["ocr", "data-labeling"],
    },
    {
        "title": "Small language model that writes haiku on a single-board computer",
        "description": (
            "I fine-tuned a tiny model on a few thousand public-domain short poems and run it on a "
            "single-board computer next to my bookshelf. It prints a haiku on a receipt printer each "
            "morning. Syllable counts are wrong half the time, which somehow makes it more charming."
        ),
        "topics": ["small-language-models", "fine-tuning", "local-llms"],
    },
    {
        "title": "Grant application drafter grounded in our past proposals",
        "description": (
            "An agent reads a funder's questions, retrieves relevant passages from our past successful "
            "proposals, and drafts answers with citations. It is good at structure and bad at new numbers. "
            "We use it for the first draft only, and the program team rewrites from there."
        ),
        "topics": ["agents", "rag"],
    },
    {
        "title": "Houseplant journal that turns a photo and a note into a care schedule",
        "description": (
            "I snap a plant, write a line like leaves curling, and the model identifies the plant and calls "
            "a scheduling function to set watering reminders. Identification is right most of the time. It "
            "once decided my plastic fern needed daily misting."
        ),
        "topics": ["multimodal", "function-calling"],
    },
    {
        "title": "Adapting speech recognition to Swahili market interviews",
        "description": (
            "General models struggled with code-switching between Swahili and English and with market noise. "
            "I fine-tuned an open speech model on twenty hours of consented recordings, which roughly halved "
            "the word error rate. Background music in some recordings still causes trouble."
        ),
        "topics": ["speech-to-text", "fine-tuning", "nlp"],
    },
    {
        "title": "Lyric syllable counter and rhyme helper for songwriters",
        "description": (
            "The tool counts syllables per line against the melody and suggests rhymes that fit the meaning "
            "of the verse. The counting is rule-based and reliable; the rhyme suggestions use a language "
            "model and are hit or miss. I like it most for spotting lines that will not fit the tune."
        ),
        "topics": ["ai-music", "nlp"],
    },
    {
        "title": "Synthetic transactions for testing fraud detection rules",
        "description": (
            "Testers cannot touch real customer data, so I built a generator for realistic transaction "
            "streams with injected fraud patterns. It lets us check whether new rules catch the patterns "
            "they were written for. Real fraud evolves faster than my generator, so we refresh the patterns "
            "quarterly."
        ),
        "topics": ["synthetic-data", "anomaly-detection"],
    },
    {
        "title": "Drag-and-drop workflow that routes customer emails",
        "description": (
            "Without writing code, I set up a flow that classifies incoming emails as orders, complaints or "
            "questions and routes them to the right person. Sarcastic complaints were sometimes filed as "
            "praise. Adding a few examples of sarcasm to the instructions helped a lot."
        ),
        "topics": ["no-code-ai", "nlp"],
    },
    {
        "title": "Training a reward model on my own writing preferences",
        "description": (
            "I compared pairs of paragraphs for weeks and trained a small reward model on my choices, then "
            "used it to rank drafts. It learned that I dislike adverbs and long intros. It also learned that "
            "I prefer shorter answers, even when the longer one was better, which taught me about my own "
            "bias."
        ),
        "topics": ["reinforcement-learning", "fine-tuning", "llm-evals"],
    },
    {
        "title": "Robot car that follows a hand-drawn map",
        "description": (
            "Kids draw a route on paper, a vision model turns the drawing into waypoints, and the car drives "
            "it on the classroom floor. Scale is the tricky part, so each map needs a drawn ruler. It has "
            "become the favourite activity in our after-school club."
        ),
        "topics": ["robotics", "computer-vision", "multimodal"],
    },
    {
        "title": "Prompt injection defences for an email-reading assistant",
        "description": (
            "The assistant summarises emails and can draft replies, so I tested it against emails containing "
            "hidden instructions. Several attacks convinced it to forward messages. Splitting reading and "
            "acting into separate steps, with a human confirming any outgoing action, closed the obvious "
            "holes."
        ),
        "topics": ["ai-safety", "agents", "function-calling"],
    },
    {
        "title": "Drug interaction answers grounded in a medication graph",
        "description": (
            "Questions about combining medications are answered only from a curated interaction graph, with "
            "the retrieved edges shown alongside the answer. If no edge exists, the assistant says it does "
            "not know. Pharmacists reviewed 200 answers and found the grounding far more reliable than free "
            "generation."
        ),
        "topics": ["knowledge-graphs", "ai-for-health", "rag"],
    },
    {
        "title": "Chainsaw sound detector for a rainforest reserve",
        "description": (
            "Solar-powered recorders listen in the forest and an audio classifier flags chainsaw sounds, "
            "sending an alert by satellite text. Motorbikes and certain insects triggered false alarms at "
            "first. After adding those as negative examples, rangers now trust the alerts enough to respond."
        ),
        "topics": ["audio-classification", "climate-ai", "anomaly-detection"],
    },
    {
        "title": "Storyboard drafts for a student short film",
        "description": (
            "Our film class wrote a script, and I generated rough storyboard frames for each scene from "
            "short descriptions. Characters changed appearance between frames, so we used the images only "
            "for framing and mood. It sped up shot planning, and the students then drew their own boards."
        ),
        "topics": ["diffusion-models", "multimodal"],
    },
    {
        "title": "Consistent character voices in a text adventure game",
        "description": (
            "Each character gets a short profile with speech patterns, secrets and words they never use. "
            "Including two example lines per character did more for consistency than pages of description. "
            "Characters still drift in long sessions, so the game refreshes their profile every few turns."
        ),
        "topics": ["prompt-engineering", "chatbots"],
    },
    {
        "title": "Building a character-level language model from scratch",
        "description": (
            "To actually understand transformers, I wrote a small one in plain PyTorch and trained it on a "
            "public-domain novel. It produces convincing nonsense after an hour on a laptop. Writing the "
            "attention code myself made papers I had bounced off suddenly readable."
        ),
        "topics": ["nlp", "small-language-models"],
    },
    {
        "title": "My first chatbot: an FAQ helper for a dog-walking business",
        "description": (
            "I built it with a no-code builder in a weekend, feeding it our prices, areas and cancellation "
            "policy. Customers mostly ask the same ten questions, and it handles those fine. It once "
            "promised a discount we do not offer, so now it sends anything about prices to me."
        ),
        "topics": ["chatbots", "no-code-ai"],
    },
    {
        "title": "Comparing three OCR engines on faded shipping labels",
        "description": (
            "I collected 500 photographed labels and measured character error rates for three open-source "
            "OCR engines. The winner changed depending on whether labels were thermal-printed or "
            "handwritten. Simple contrast enhancement before OCR helped every engine more than switching "
            "between them."
        ),
        "topics": ["ocr", "computer-vision", "llm-evals"],
    },
    {
        "title": "Weather-aware playlists built from song embeddings",
        "description": (
            "Songs from my library are embedded from audio features, and the playlist shifts with the local "
            "forecast. Rainy days get slower, warmer tracks. The mapping from weather to mood is entirely my "
            "taste, and friends have strongly disagreed with my idea of sunny music."
        ),
        "topics": ["recommendation", "ai-music", "embeddings"],
    },
    {
        "title": "Why I removed the feature store from my one-person ML project",
        "description": (
            "I added a feature store because tutorials said so, and it doubled the moving parts. For a "
            "single model retrained weekly, a versioned parquet file did the same job. The lesson was to add "
            "infrastructure when a specific pain appears, not before."
        ),
        "topics": ["mlops", "recommendation"],
    },
    {
        "title": "Lore keeper for a long-running tabletop campaign",
        "description": (
            "After three years of sessions, nobody remembered which duke betrayed whom. I extracted "
            "characters, places and events from session notes into a graph, and players ask questions "
            "through a chatbot. It sometimes merges characters with similar names, which the players find "
            "hilarious."
        ),
        "topics": ["knowledge-graphs", "rag", "chatbots"],
    },
    {
        "title": "Synthetic speech to bootstrap a low-resource dialect recogniser",
        "description": (
            "With only two hours of real recordings, we generated extra training audio with text-to-speech "
            "in a related language and fine-tuned a recogniser on the mix. Synthetic data helped a little, "
            "but real speakers helped far more. The honest result is that there is no substitute for "
            "recording people."
        ),
        "topics": ["synthetic-data", "text-to-speech", "speech-to-text"],
    },
    {
        "title": "Asking questions about zoning maps and planning documents",
        "description": (
            "The assistant combines the zoning map layer with planning documents, so can I build a granny "
            "flat at this address returns the zone, the relevant rule and a link. Parcel boundaries in the "
            "map data were sometimes outdated, which we now show with a warning."
        ),
        "topics": ["geospatial", "rag", "multimodal"],
    },
    {
        "title": "Tutoring guardrails that stop the bot from just giving answers",
        "description": (
            "Students kept asking the tutor for final answers. I added a policy layer that detects "
            "answer-seeking and switches to hints and questions instead. Clever students found ways around "
            "it, so we log attempts and review them with the class as a lesson on how these systems work."
        ),
        "topics": ["ai-safety", "ai-for-education", "chatbots"],
    },
    {
        "title": "Research assistant agent that keeps a ledger of every source",
        "description": (
            "The agent searches, reads and takes notes, but every claim it writes must point to an entry in "
            "a source ledger. At the end, a checker verifies each entry. It is slower than a free-form agent "
            "and much easier to trust, which is the trade I wanted."
        ),
        "topics": ["agents", "rag", "llm-evals"],
    },
    {
        "title": "Quantizing a 13B model and measuring what we lost",
        "description": (
            "We ran our internal eval set on the same model at 16, 8, 5 and 4 bits. Eight bits was "
            "indistinguishable; four bits lost noticeable accuracy on arithmetic and long instructions but "
            "kept general knowledge. We chose five bits for the office server."
        ),
        "topics": ["local-llms", "llm-evals", "mlops"],
    },
    {
        "title": "Imitation learning for a two-wheeled balancing robot",
        "description": (
            "I recorded myself balancing the robot with a joystick and trained a policy to copy my "
            "corrections. It balanced for a few seconds, then fell in situations I had never shown it. "
            "Mixing in a bit of reinforcement learning in simulation finally got it standing for minutes."
        ),
        "topics": ["robotics", "reinforcement-learning"],
    },
    {
        "title": "Chest X-ray triage prototype and why we did not ship it",
        "description": (
            "Our model scored well on a public dataset and poorly on images from our own older machines. It "
            "had learned hints from the scanner, not from the lungs. We wrote up the failure for our team, "
            "and the write-up was more valuable than the prototype."
        ),
        "topics": ["computer-vision", "ai-for-health", "ai-safety"],
    },
    {
        "title": "Weekly news quiz generator for adult English learners",
        "description": (
            "Each week the tool picks three news stories, simplifies them, and writes comprehension and "
            "vocabulary questions. I check every quiz before class. Learners like talking about real events, "
            "and the generated vocabulary lists are surprisingly well chosen."
        ),
        "topics": ["ai-for-education", "nlp", "prompt-engineering"],
    },
    {
        "title": "Speech synthesis that pronounces Maori place names correctly",
        "description": (
            "Default voices mangled Maori place names on our regional transport app. We built a "
            "pronunciation lexicon with help from local speakers and applied it before synthesis. "
            "Announcements now sound right, and people noticed within days."
        ),
        "topics": ["text-to-speech", "accessibility", "nlp"],
    },
    {
        "title": "Counting reef fish in underwater survey video",
        "description": (
            "Divers film transects, and a detector counts fish by species group frame by frame. Tracking "
            "fish across frames avoided counting the same fish twice. Murky water cut accuracy sharply, so "
            "we report confidence alongside every count."
        ),
        "topics": ["computer-vision", "climate-ai", "data-labeling"],
    },
    {
        "title": "Lameness detection for dairy cows from a barn doorway camera",
        "description": (
            "A camera films cows walking to milking, and pose estimation tracks how their backs arch. A "
            "simple score flags cows that walk differently from their own baseline. It spotted lameness a "
            "few days earlier than I usually notice, which means faster treatment."
        ),
        "topics": ["computer-vision", "anomaly-detection", "time-series"],
    },
    {
        "title": "Nursing case studies generated for simulation classes",
        "description": (
            "The generator writes patient scenarios with vitals that change over time based on student "
            "decisions. Every scenario is reviewed by an instructor before use. Early drafts had clinically "
            "impossible vital sign combinations, so we added a rules check."
        ),
        "topics": ["synthetic-data", "ai-for-health", "ai-for-education"],
    },
    {
        "title": "Fitting a keyword spotter into 64 KB on a microcontroller",
        "description": (
            "I trained a tiny convolutional model on spectrograms for three wake words and squeezed it with "
            "8-bit quantization. The model fits in 64 KB with room for the audio buffer. Accuracy dropped "
            "two points from quantization, which was an acceptable trade."
        ),
        "topics": ["audio-classification", "small-language-models", "mlops"],
    },
    {
        "title": "Exploring embeddings visually with a 2D map of my notes",
        "description": (
            "As a beginner project, I embedded two years of personal notes and projected them to two "
            "dimensions. Clusters matched my interests surprisingly well, and a few notes sat in odd places "
            "that made me laugh. It was the first time embeddings made intuitive sense to me."
        ),
        "topics": ["embeddings", "nlp"],
    },
    {
        "title": "A vector database from scratch to learn how ANN indexes work",
        "description": (
            "I implemented brute-force search, then an inverted file index, then a basic graph index, all in "
            "plain Python. The graph index was hundreds of times faster with a small accuracy loss. Now I "
            "understand the tuning knobs in real databases instead of guessing."
        ),
        "topics": ["vector-databases", "embeddings"],
    },
    {
        "title": "Learning prompt engineering by rewriting one prompt fifty times",
        "description": (
            "I took a simple task, summarising product reviews, and kept a log of fifty prompt versions with "
            "scores on a fixed set of reviews. Clear output format and one good example mattered most. "
            "Politeness and capital letters did almost nothing."
        ),
        "topics": ["prompt-engineering", "llm-evals"],
    },
    {
        "title": "Generated practice dialogues for learning Portuguese",
        "description": (
            "I asked a model for short everyday dialogues at my level, then had a native-speaker friend mark "
            "unnatural phrases. About one line in ten sounded off. I now ask for Brazilian Portuguese "
            "specifically, because the mix of variants confused me."
        ),
        "topics": ["ai-for-education", "synthetic-data", "nlp"],
    },
    {
        "title": "Multimodal recipe assistant that reads my fridge",
        "description": (
            "I photograph the inside of my fridge and the assistant lists what it sees and suggests three "
            "dinners. It identifies vegetables well and containers badly. Letting me correct the ingredient "
            "list before suggesting recipes made it actually useful."
        ),
        "topics": ["multimodal", "computer-vision", "recommendation"],
    },
    {
        "title": "Crowd-labelled dataset of local street signs in three scripts",
        "description": (
            "Volunteers photographed street signs written in three scripts and labelled them through a "
            "simple web app. We paid per batch and had every sign checked by two people. The dataset helps "
            "OCR models that ignored our scripts entirely."
        ),
        "topics": ["data-labeling", "ocr", "geospatial"],
    },
    {
        "title": "Guitar tab transcription from recordings of my own playing",
        "description": (
            "A pitch detection model turns my recordings into notes, and a small search picks likely fret "
            "positions. Single notes are transcribed well; chords often come out as a pile of wrong notes. "
            "Good enough to capture ideas before I forget them."
        ),
        "topics": ["ai-music", "audio-classification"],
    },
    {
        "title": "Reading glucose logs aloud for a grandfather with low vision",
        "description": (
            "His glucose meter exports a file, and a small script summarises the day's readings and reads "
            "them out with text-to-speech. Unusual readings are mentioned first. He now checks his numbers "
            "every day instead of waiting for my visits."
        ),
        "topics": ["text-to-speech", "accessibility", "ai-for-health"],
    },
    {
        "title": "Carbon footprint estimates for a school canteen menu",
        "description": (
            "A model maps each dish to ingredients and pulls emission factors from a public table. Students "
            "compare dishes and vote on a weekly low-carbon option. The estimates are rough, so we show "
            "ranges rather than exact numbers."
        ),
        "topics": ["climate-ai", "ai-for-education", "knowledge-graphs"],
    },
    {
        "title": "Mapping informal settlements with open imagery for a city council",
        "description": (
            "We segmented rooftops in open aerial imagery to estimate how many homes lack formal addresses. "
            "Community members checked the results on the ground. The model undercounted homes under tree "
            "cover, which the walkers corrected."
        ),
        "topics": ["geospatial", "computer-vision", "data-labeling"],
    },
    {
        "title": "Code review assistant that explains style rules, not just flags them",
        "description": (
            "Our linter output confused new developers. The assistant takes each warning and explains why "
            "the rule exists, with a corrected snippet. Juniors said it felt like a patient senior "
            "colleague, although it sometimes explained rules we had disabled."
        ),
        "topics": ["code-generation", "ai-for-education", "prompt-engineering"],
    },
    {
        "title": "Retrieval over farming extension leaflets in three languages",
        "description": (
            "We embedded leaflets from the agricultural extension office in English, French and Wolof "
            "translations. Cross-language retrieval worked well for English and French and poorly for Wolof. "
            "Adding a translation step before search fixed most cases."
        ),
        "topics": ["rag", "embeddings", "climate-ai"],
    },
    {
        "title": "Learning RL with a gridworld that my students designed",
        "description": (
            "Students designed mazes with rewards and traps, and we trained Q-learning agents on them in "
            "class. Watching agents exploit badly designed rewards was the best lesson. Several students "
            "want to study AI after this."
        ),
        "topics": ["reinforcement-learning", "ai-for-education"],
    },
    {
        "title": "Monitoring a production RAG system for retrieval drift",
        "description": (
            "We log the similarity scores and sources of retrieved chunks for every question and watch for "
            "shifts. When a content migration broke metadata, average retrieval scores dropped overnight and "
            "we noticed before users complained."
        ),
        "topics": ["mlops", "rag", "anomaly-detection"],
    },
)


# Comments members leave on each other's projects ("{author}" is the project's author).
COMMENTS: tuple[str, ...] = (
    "How did you decide on the chunk size? I keep going back and forth between 300 and 800 tokens.",
    "This is the clearest write-up of an eval loop I've read. Bookmarking it.",
    "Did you try a smaller model for the first pass? I got similar quality at a third of the cost.",
    "Love that you show the failures too. The part about invented values hit home.",
    "@{author} would you share the prompt you ended up with? Happy to test it on my data.",
    "I built something similar for my team's tickets; caching the embeddings saved us a lot.",
    "What did latency look like before and after? Curious whether streaming helped.",
    "The diagram made the architecture click for me, thank you.",
    "Small suggestion: log the retrieved passages next to each answer, it makes debugging so much easier.",
    "This inspired my weekend project. Going to try it with local models only.",
    "How are you handling prompt injection from the documents themselves?",
    "Great idea to let people check the source sentence. Trust is everything for tools like this.",
    "Did you measure how often it refuses? That number surprised me when I looked at mine.",
    "Thanks for writing down what didn't work; that saves the rest of us a week.",
)
REPLIES: tuple[str, ...] = (
    "Good question, I tried both: 500 with some overlap worked best for my notes.",
    "Thanks! I'll add the prompt to the page this week.",
    "Not yet, that's next on my list.",
    "Latency went from about four seconds to just over one with streaming.",
)
