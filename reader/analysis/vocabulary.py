"""The analysis's shared vocabulary: the word lists that several rules read.

Owns: every list of words that more than one analysis module needs (titles and honorifics,
English stop words, nouns that say what a number counts, number words), so that a rule
that learns a new title or number word learns it everywhere. Must not: hold rules (only
data), import anything heavy. Module-specific lists that no other module reads stay in
their module.

The stop words are the Glasgow Information Retrieval group's English list as scikit-learn
ships it (``sklearn.feature_extraction.text.ENGLISH_STOP_WORDS``, BSD licence), copied here
as data so that nothing imports scikit-learn.
"""

from __future__ import annotations

ENGLISH_STOP_WORDS: frozenset[str] = frozenset(
    {
    "a", "about", "above", "across", "after", "afterwards", "again", "against", "all", "almost",
    "alone", "along", "already", "also", "although", "always", "am", "among", "amongst",
    "amoungst", "amount", "an", "and", "another", "any", "anyhow", "anyone", "anything", "anyway",
    "anywhere", "are", "around", "as", "at", "back", "be", "became", "because", "become",
    "becomes", "becoming", "been", "before", "beforehand", "behind", "being", "below", "beside",
    "besides", "between", "beyond", "bill", "both", "bottom", "but", "by", "call", "can",
    "cannot", "cant", "co", "con", "could", "couldnt", "cry", "de", "describe", "detail", "do",
    "done", "down", "due", "during", "each", "eg", "eight", "either", "eleven", "else",
    "elsewhere", "empty", "enough", "etc", "even", "ever", "every", "everyone", "everything",
    "everywhere", "except", "few", "fifteen", "fifty", "fill", "find", "fire", "first", "five",
    "for", "former", "formerly", "forty", "found", "four", "from", "front", "full", "further",
    "get", "give", "go", "had", "has", "hasnt", "have", "he", "hence", "her", "here", "hereafter",
    "hereby", "herein", "hereupon", "hers", "herself", "him", "himself", "his", "how", "however",
    "hundred", "i", "ie", "if", "in", "inc", "indeed", "interest", "into", "is", "it", "its",
    "itself", "keep", "last", "latter", "latterly", "least", "less", "ltd", "made", "many", "may",
    "me", "meanwhile", "might", "mill", "mine", "more", "moreover", "most", "mostly", "move",
    "much", "must", "my", "myself", "name", "namely", "neither", "never", "nevertheless", "next",
    "nine", "no", "nobody", "none", "noone", "nor", "not", "nothing", "now", "nowhere", "of",
    "off", "often", "on", "once", "one", "only", "onto", "or", "other", "others", "otherwise",
    "our", "ours", "ourselves", "out", "over", "own", "part", "per", "perhaps", "please", "put",
    "rather", "re", "same", "see", "seem", "seemed", "seeming", "seems", "serious", "several",
    "she", "should", "show", "side", "since", "sincere", "six", "sixty", "so", "some", "somehow",
    "someone", "something", "sometime", "sometimes", "somewhere", "still", "such", "system",
    "take", "ten", "than", "that", "the", "their", "them", "themselves", "then", "thence",
    "there", "thereafter", "thereby", "therefore", "therein", "thereupon", "these", "they",
    "thick", "thin", "third", "this", "those", "though", "three", "through", "throughout", "thru",
    "thus", "to", "together", "too", "top", "toward", "towards", "twelve", "twenty", "two", "un",
    "under", "until", "up", "upon", "us", "very", "via", "was", "we", "well", "were", "what",
    "whatever", "when", "whence", "whenever", "where", "whereafter", "whereas", "whereby",
    "wherein", "whereupon", "wherever", "whether", "which", "while", "whither", "who", "whoever",
    "whole", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you",
    "your", "yours", "yourself", "yourselves",
    }
)

TITLES: tuple[str, ...] = (
    "vice president",
    "president",
    "secretary of state",
    "secretary-general",
    "secretary general",
    "secretary",
    "sec",
    "foreign minister",
    "prime minister",
    "defense minister",
    "minister",
    "chancellor",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "ambassador",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "rep",
    "gen",
)
"""Titles that may stand before a name ("Secretary of State Antony Blinken"), longest
alternatives first where one is a prefix of another."""

TITLE_WORDS: frozenset[str] = frozenset(
    {
        "president",
        "chancellor",
        "minister",
        "secretary",
        "premier",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "adviser",
        "advisor",
        "counterpart",
        "ambassador",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sen",
        "rep",
        "gen",
    }
)
"""Single words that make the name after them a person's ("minister Kuleba")."""

NAME_PREFIX_WORDS: frozenset[str] = frozenset(
    {
        "president",
        "prime",
        "minister",
        "secretary",
        "chancellor",
        "mr",
        "mrs",
        "ms",
        "dr",
        "general",
        "foreign",
        "defense",
        "state",
        "of",
        "the",
        "spokesman",
        "us",
        "u.s.",
    }
)
"""Capitalised words before a name that are not part of it ("Foreign Minister", "U.S.")."""

QUANTITY_NOUNS: dict[str, str] = {
    "troops": "troops",
    "soldiers": "troops",
    "forces": "troops",
    "servicemen": "troops",
    "service members": "troops",
    "staff": "staff",
    "personnel": "staff",
    "diplomats": "staff",
    "employees": "staff",
    "people": "people",
    "civilians": "people",
    "citizens": "citizens",
    "americans": "citizens",
    "tanks": "tanks",
    "planes": "aircraft",
    "aircraft": "aircraft",
}
"""The noun after a number, mapped to what it counts ("100,000 soldiers" counts troops)."""

NUMBER_WORDS: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}
"""Number words that count as the number they name."""
