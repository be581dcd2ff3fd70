package dev.triage.analysis;

import dev.triage.analysis.Cue.Signal;
import java.util.ArrayList;
import java.util.List;

/**
 * The phrases that tell task types apart, with how much each one counts. Weights are in "nats" of
 * evidence: the analyser turns the per-type sums into a confidence with a softmax, so a weight of 3
 * (an explicit verb such as "translate") alone makes a type about three times likelier than all the
 * others together, while 1 (a hint such as "why") only tips a close call.
 *
 * <p>Written from general principles (the verb that names a task, the nouns of its material, the
 * words people use in English and Chinese, plus a few other common languages), not fitted to a
 * test set. Notation: trailing {@code *} = prefix, leading {@code ^} = only at the message start.
 */
final class TaskCues {

    static final int CLASSIFICATION = TaskType.BUILT_IN.indexOf(TaskType.CLASSIFICATION);
    static final int SUMMARIZATION = TaskType.BUILT_IN.indexOf(TaskType.SUMMARIZATION);
    static final int CODE = TaskType.BUILT_IN.indexOf(TaskType.CODE_GENERATION);
    static final int REASONING = TaskType.BUILT_IN.indexOf(TaskType.REASONING);
    static final int FAST = TaskType.BUILT_IN.indexOf(TaskType.FAST_RESPONSE);
    static final int CHAT = TaskType.BUILT_IN.indexOf(TaskType.CHAT);
    static final int EXTRACTION = TaskType.BUILT_IN.indexOf(TaskType.EXTRACTION);
    static final int TRANSLATION = TaskType.BUILT_IN.indexOf(TaskType.TRANSLATION);

    /** Natural languages people ask to translate into (programming languages are code cues). */
    private static final List<String> LANGUAGES = List.of("english", "french", "spanish", "german", "italian",
            "portuguese", "chinese", "mandarin", "cantonese", "japanese", "korean", "russian", "arabic", "hindi",
            "dutch", "swedish", "norwegian", "danish", "finnish", "polish", "turkish", "greek", "hebrew",
            "vietnamese", "thai", "indonesian", "malay", "ukrainian", "czech", "romanian", "hungarian", "persian",
            "farsi", "swahili", "tagalog", "bengali", "urdu", "latin", "catalan", "esperanto");

    private static final List<String> LANGUAGES_ZH = List.of("英文", "英语", "中文", "汉语", "法语", "法文", "德语",
            "德文", "日语", "日文", "韩语", "韩文", "西班牙语", "俄语", "意大利语", "葡萄牙语", "阿拉伯语");

    private static final List<String> PROGRAMMING = List.of("python", "java", "javascript", "typescript", "kotlin",
            "rust", "golang", "c++", "c#", "ruby", "php", "scala", "haskell", "bash", "powershell", "react", "vue",
            "angular", "node.js", "nodejs", "django", "flask", "spring boot", "pandas", "numpy", "sql", "postgres*",
            "mysql", "sqlite", "html", "css", "jquery", "dockerfile", "terraform", "kubernetes", "graphql",
            "swiftui", "elixir", "perl", "matlab", "r script", "lua", "c program", "fortran", "assembly");

    private final List<Cue> cues = new ArrayList<>();

    static List<Cue> builtIn() {
        TaskCues c = new TaskCues();
        c.translation();
        c.summarization();
        c.classification();
        c.extraction();
        c.code();
        c.reasoning();
        c.quickAnswers();
        c.chat();
        c.alternatives();
        c.complexity();
        return List.copyOf(c.cues);
    }

    private void translation() {
        add(TRANSLATION, 3.0, "translat*", "翻译", "翻譯", "翻訳", "tradu*", "übersetz*", "uebersetz*", "перев*",
                "번역");
        add(TRANSLATION, 2.0, "how do you say", "how do i say", "how would you say", "what's the word for",
                "what is the word for", "译成", "翻成", "译为", "译作", "怎么说", "localiz*", "localis*");
        for (String lang : LANGUAGES) {
            add(TRANSLATION, 2.0, Signal.LANGUAGE, "→ " + lang, "-> " + lang, "the " + lang + " for");
            add(TRANSLATION, 2.0, Signal.LANGUAGE, "into " + lang);
            add(TRANSLATION, 1.2, Signal.LANGUAGE, "to " + lang);
            add(TRANSLATION, 1.0, Signal.LANGUAGE, "from " + lang);
            add(TRANSLATION, 0.8, Signal.LANGUAGE, "in " + lang);
        }
        for (String lang : LANGUAGES_ZH) {
            add(TRANSLATION, 0.8, Signal.LANGUAGE, lang);
            add(TRANSLATION, 1.2, Signal.LANGUAGE, "成" + lang);
        }
        for (String lang : List.of("英語", "日本語", "中国語", "韓国語", "フランス語", "ドイツ語", "スペイン語")) {
            add(TRANSLATION, 0.8, Signal.LANGUAGE, lang);
            add(TRANSLATION, 1.5, Signal.LANGUAGE, lang + "に");
        }
    }

    private void summarization() {
        add(SUMMARIZATION, 3.0, "summar*", "tl;dr", "tldr", "总结", "摘要", "概括", "归纳", "概述", "概要", "要約",
                "resumen", "resume el", "resume la", "résum*", "zusammenfass*", "executive summary");
        add(SUMMARIZATION, 2.5, "recap*", "synopsis", "condense*", "key takeaways", "sum up", "sums up");
        add(SUMMARIZATION, 2.0, "gist", "boil down", "boil it down", "boil this down", "key points", "main points",
                "main ideas", "takeaways", "要点", "in a nutshell", "what did we decide", "what was decided");
        add(SUMMARIZATION, 1.5, "shorter", "short version", "minutes", "status update", "highlights", "digest");
        add(SUMMARIZATION, 1.5, "shorten", "shorter version", "brief overview", "in three sentences",
                "in 3 sentences", "in two sentences", "in 2 sentences", "in a few sentences", "in one paragraph",
                "in a paragraph", "in 3 bullet*", "in three bullet*", "in 5 bullet*", "in five bullet*", "简要");
        add(SUMMARIZATION, 1.0, "abstract", "overview", "bullet points", "what happened", "too long", "what is this article about",
                "what's this article about", "what is this about", "讲了什么", "主要内容");
        add(SUMMARIZATION, 0.5, "this article", "the article", "this paper", "the passage", "this document",
                "this transcript", "meeting notes", "this thread", "this report", "the report", "这篇文章", "这篇");
    }

    private void classification() {
        add(CLASSIFICATION, 3.0, "classif*", "categori*", "分类", "分類", "归类", "歸類", "clasific*", "klassifizier*",
                "kategorisier*");
        add(CLASSIFICATION, 2.5, "sentiment", "which category", "what category", "which class", "label this",
                "label the", "label each", "assign a label", "assign one", "tag this", "tag each", "is this spam",
                "spam or", "positive or negative", "positive, negative", "positive/negative", "属于哪", "哪一类",
                "哪个类别", "打标签", "情感", "detect the language", "only the label", "only the category",
                "one label", "one category", "which bucket", "label:", "labels:");
        add(CLASSIFICATION, 1.5, "intent", "toxic*", "spam", "情绪", "标签", "one of the following", "one of:",
                "on a scale", "relevant or not", "relevant or irrelevant", "which department", "which team",
                "route this", "what language is", "urgency", "severity", "genre", "topic of", "the topic",
                "neutral", "ham");
        add(CLASSIFICATION, 2.0, "options:", "exactly one of");
        add(CLASSIFICATION, 1.5, "decide if", "tell me if", "determine if", "determine whether", "sort these",
                "sort them", "sort each", "phishing", "sarcas*", "moderat*", "one of these", "mark each", "mark as",
                "grade this", "grade the", "rate this", "say whether", "judge", "route the", "positiv", "negativ",
                "positivo", "negativo", "positif", "négatif");
        add(CLASSIFICATION, 2.0, "判断");
        add(CLASSIFICATION, 1.0, "是不是", "output just");
        add(CLASSIFICATION, 1.0, "choose from", "pick one", "is it about", "priority", "true or false",
                "offensive", "appropriate", "whether", "or not", "options", "and nothing else", "which of these");
        add(CLASSIFICATION, 0.8, "respond with only", "answer with only", "reply with only", "only output");
    }

    private void extraction() {
        add(EXTRACTION, 3.0, "extract*", "提取", "抽取", "抽出", "extrae*", "extrai*", "extrahier*");
        add(EXTRACTION, 2.0, "list all", "list every", "find all", "find every", "pull out", "identify all",
                "identify every", "named entit*", "entities", "return json", "return a json", "json object with",
                "json with", "as json", "in json", "fields:", "the following fields", "with fields",
                "with the fields", "keys:", "找出", "列出所有", "字段", "names of all", "key-value", "key/value");
        add(EXTRACTION, 1.5, "mention*");
        add(EXTRACTION, 1.5, "parse", "table with columns", "columns:", "structured", "email address*",
                "phone number*", "invoice", "receipt", "列出", "every date", "every name", "each person",
                "all the names", "all the dates", "all dates", "all names", "all people", "all companies",
                "all product*", "all the product*", "all prices", "all amounts");
        add(EXTRACTION, 1.0, "信息");
        add(EXTRACTION, 1.0, "csv", "total amount", "due date", "order number", "skills", "line items",
                "from the following", "from this", "from the text", "from the email", "as a list", "comma-separated",
                "in this email", "in this text", "in this message", "in this note", "in this document", "appear in",
                "appears in", "as a table", "list the");
        add(EXTRACTION, 0.5, "address");
    }

    private void code() {
        add(CODE, 3.0, "write a function", "write a script", "write a program", "write code", "write the code",
                "refactor*", "代码", "重构", "leetcode", "コード", "write a class", "write a method",
                "write a query", "write a sql", "write a regex", "write a bash", "github actions");
        add(CODE, 2.5, "debug*", "unit test*", "stack trace", "traceback", "regex", "regular expression",
                "函数", "调试", "单元测试", "関数", "dockerfile", "pull request", "code review", "segfault",
                "nullpointer*", "null pointer", "typeerror", "syntaxerror", "compile error", "compiler error");
        add(CODE, 2.0, "code", "implement*", "sql", "编程", "脚本", "报错", "endpoint", "html", "css", "api call",
                "プログラム", "snippet", "boilerplate", "git", "pip install", "cli tool", "one-liner", "design pattern",
                "singleton", "单例", "设计模式");
        for (String tech : PROGRAMMING) {
            add(-1, 0, Signal.TECH, tech);
        }
        add(-1, 0, Signal.TECH, "maven", "gradle", "mvn", "jdk", "npm", "jvm", "linux", "docker", "cron", "makefile",
                "s3", "aws", "kubectl", "nginx", "http server", "web server");
        add(CODE, 1.5, "function", "script", "bug", "exception", "syntax", "algorithm", "recursion", "recursive",
                "compile*", "程序", "算法", "commit message", "method", "variable", "data structure", "linked list",
                "binary tree", "hash map", "hashmap", "array", "json schema", "excel formula", "spreadsheet formula",
                "framework", "library", "docstring", "type hints", "async", "thread-safe", "database schema", "binary search",
                "ci pipeline", "线程");
        add(CODE, 1.0, "workflow");
        add(CODE, 1.0, "class", "program", "loop", "api", "query", "repository", "yaml", "error", "实现", "接口",
                "crash*", "deploy*", "microservice*", "backend", "frontend", "o(n", "o(1", "o(log");
    }

    private void reasoning() {
        add(REASONING, 3.0, "prove", "证明", "證明", "証明", "counterexample");
        add(REASONING, 2.5, "proof", "derive", "puzzle", "riddle", "theorem", "lemma", "integral", "derivative",
                "expected value", "推理", "推导", "概率", "方程", "求解");
        add(REASONING, 2.0, Signal.MULTI_STEP, "step by step", "step-by-step", "一步一步", "逐步", "show your work",
                "show your reasoning", "walk me through", "think step");
        add(REASONING, 2.0, "explain why", "calcul*", "cálculo", "solve", "equation", "probability", "deduce", "fermi",
                "logic puzzle", "計算", "计算", "which is larger", "which is bigger", "what is the minimum",
                "what is the maximum", "how long will it take", "how long would it take", "expected number",
                "minimum number", "maximum number");
        add(REASONING, 1.5, "logic", "logical*", "think through", "think carefully", "reason about", "reasoning",
                "what would happen if", "trade-off*", "tradeoff*", "pros and cons", "optimal", "minimiz*",
                "maximiz*", "root cause", "为什么", "なぜ", "分析", "利弊", "优缺点", "paradox", "compute",
                "analyze", "analyse", "analysis", "estimate", "induction", "is it possible", "would it be",
                "contradiction", "if and only if", "implies", "infer*", "if all", "necessarily", "must be true",
                "show how");
        add(REASONING, 1.0, "why", "how many", "compare", "comparison", "evaluate", "assess", "optimi*",
                "what happens if", "which is better", "should we", "diagnose", "hypothes*", "determine",
                "figure out", "justify", "argue", "比较", "多少", "por qué", "pourquoi", "warum", "percent*",
                "strategy", "decide", "worth it", "versus", " vs ", "how much", "prime", "chance", "odds", "consider");
        add(REASONING, 1.5, "is it better");
    }

    private void quickAnswers() {
        for (String opener : List.of("what is", "what's", "whats", "what are", "what was", "what were",
                "what does", "what do", "who", "whom", "whose", "when", "where", "which", "is", "are", "was",
                "were", "does", "do", "did", "has", "have", "how tall", "how old", "how far",
                "how long", "how big", "how many", "how much", "how do you spell", "define", "name the", "name a",
                "quick question", "¿qué", "¿quién", "qu'est-ce", "wer", "was ist", "wie viele")) {
            add(-1, 0, Signal.QUESTION, "^" + opener);
        }
        // Requests ("can you…", "could you…") are not questions with a short factual answer.
        add(-1, 0, Signal.QUESTION, "是什么", "是谁", "哪里", "哪一年", "哪个", "几个", "多少", "ですか");
        add(-1, 0, Signal.BREVITY, "in one word", "one word", "one-word", "in a word", "in one line", "one line",
                "in one sentence", "one sentence", "quick question", "quickly", "briefly", "short answer",
                "yes or no", "yes/no", "just the answer", "just tell me", "only the number", "only the name",
                "just the number", "just the name", "no explanation", "without explanation", "just answer",
                "简短", "一句话", "一个词", "快速", "简单回答", "是或否", "直接告诉", "直接回答", "简单说");
        add(-1, 0, Signal.FACT, "capital of", "population of", "stand for", "stands for", "meaning of",
                "definition of", "define", "synonym*", "antonym*", "plural of", "spell", "spelled", "convert",
                "what year", "what time", "what day", "who wrote", "who invented", "who painted", "who discovered",
                "who is the", "who was the", "boiling point", "tallest", "largest", "smallest", "longest",
                "how tall", "how old", "how far", "abbreviation", "acronym", "currency of", "time zone",
                "首都", "是什么意思", "哪一年", "是谁", "什么意思", "多高", "多远", "多大");
    }

    private void chat() {
        // A greeting counts only where the message opens with it: "Hi, translate this" is a translation,
        // and a "Thanks, Hannah" at the foot of a pasted email is material.
        for (String greeting : List.of("hi", "hello", "hey", "good morning", "good evening", "good night", "thanks",
                "thank you", "thx", "nice to meet", "bye", "goodbye", "lol", "haha", "你好", "您好", "谢谢", "早上好",
                "晚安", "哈哈", "こんにちは", "ありがとう", "hola", "gracias", "bonjour", "merci", "danke", "hallo",
                "ciao", "嗨", "ok thanks")) {
            add(CHAT, 2.0, Signal.GREETING, "^" + greeting);
        }
        add(CHAT, 2.0, "how are you", "how's it going", "what's up");
        add(CHAT, 2.0, "poem", "haiku", "limerick", "write a story", "tell me a story", "bedtime story",
                "short story", "song", "lyrics", "joke",
                "write an email", "draft an email", "email to", "letter to", "cover letter", "blog post", "tweet",
                "linkedin post", "caption", "slogan", "toast", "wedding speech", "role-play", "roleplay",
                "brainstorm*", "写一首", "写一封", "讲个笑话", "聊聊", "写一篇");
        add(CHAT, 1.5, "i feel", "i'm feeling", "i am feeling", "i'm so", "i'm bored", "i'm sad", "i'm stressed",
                "i'm nervous", "i'm worried", "lonely", "what do you think", "your opinion", "do you like",
                "tell me about yourself", "let's talk", "let's chat", "chat", "any advice", "advice", "recommend*",
                "ideas for", "rewrite", "rephrase", "reword", "paraphrase", "proofread", "more formal",
                "more casual", "more polite", "friendlier", "pretend", "essay", "speech", "我觉得", "你觉得",
                "推荐", "心情", "怎么办", "建议", "润色", "改写", "故事", "诗", "motivat*", "encourag*", "comfort",
                "eli5", "like i'm five", "polish this", "polish my", "pep talk", "entertain me");
        add(CHAT, 1.0, "suggest*", "tips", "should i", "help me", "tone", "act as", "you are my", "fun",
                "favorite", "favourite", "feel", "plan a", "plan my", "name for", "names for", "interview",
                "description for", "product description", "bio", "invitation", "apolog*", "congratulat*", "my boss",
                "my friend", "my wife", "my husband", "my partner", "my mom", "my dad", "my kid*", "my son",
                "my daughter", "my girlfriend", "my boyfriend", "my cat", "my dog");
        add(CHAT, 0.75, "explain");
        add(CHAT, 1.5, "your favourite", "your favorite");
        add(CHAT, 1.0, "have you ever", "are you", "what's your");
        add(CHAT, 0.5, "gift", "birthday", "weekend", "vacation", "trip", "dinner", "date night");
    }

    private void alternatives() {
        add(-1, 0, Signal.ALTERNATIVES, " or ", " or\n", "或者", "还是", " oder ", " ou ", " o ", "または");
    }

    private void complexity() {
        add(-1, 0, Signal.CONSTRAINT, "must", "should", "ensure", "make sure", "do not", "don't", "never",
                "always", "at least", "at most", "no more than", "exactly", "without", "only use", "requirement*",
                "constraint*", "必须", "不要", "至少", "最多", "确保", "要求");
        add(-1, 0, Signal.MULTI_STEP, "first,", "then", "finally", "after that", "next,", "steps", "multi-step",
                "首先", "然后", "最后", "步骤", "phase*");
        add(-1, 0, Signal.DEPTH, "prove", "proof", "rigorous*", "optimal", "optimi*", "architecture",
                "design a", "distributed", "concurren*", "thread-safe", "scalab*", "trade-off*", "tradeoff*",
                "edge case*", "time complexity", "space complexity", "lock-free", "consensus", "fault-toleran*",
                "production-ready", "production ready", "security", "theorem", "derive", "in depth", "in-depth",
                "formally", "formal proof", "formal verification",
                "comprehensive", "detailed", "证明", "架构", "并发", "优化", "分布式", "严格");
    }

    private void add(int type, double weight, String... phrases) {
        add(type, weight, null, phrases);
    }

    private void add(int type, double weight, Signal signal, String... phrases) {
        for (String p : phrases) {
            cues.add(Cue.of(p, type, weight, signal));
        }
    }
}
