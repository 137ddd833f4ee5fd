"""Built-in words for kinds of question in a few common languages besides English.

A question in Portuguese, Spanish, French, German, Italian, Russian or Dutch is understood without the organisation adding
``question_words`` to its file: "qual o nível depois do P2" asks for the next level, "чем Lead отличается от
Senior" for a difference. The file's own ``question_words`` still add to these. Each entry is a word or a phrase of
words, written as people write it; the parser puts them in the normal form of a question's words (accents on Latin
letters dropped, lower case), and a phrase counts only where its words stand together in the question.

Three kinds here are not kinds a file can name: ``gap`` (what is needed: "preciso", "нужно") and ``arrive`` (reaching
a level: "chegar", "стать"), which the parser reads beside a level the way it reads "need" and "become", and
``generic`` (career words that say no subject of their own: "esperado", "erwartet", "уровень", and "what is" in
Japanese and Chinese: "とは", "是什么"), which a question's subject leaves out the way it leaves out "expected" and
"level"; in a script written without spaces they are cut out of the text around a name.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

_BY_LANGUAGE: dict[str, dict[str, str]] = {
    # one line per language; phrases are separated by commas, so a phrase may hold spaces
    "difference": {
        "pt": "diferença, diferenças, difere, diferem, diferente, diferentes, comparar, comparação, o que muda, entre, antes, anterior, abaixo",
        "es": "diferencia, diferencias, diferente, diferentes, difiere, comparar, comparación, qué cambia, entre, antes, anterior, debajo",
        "fr": "différence, différences, différent, différente, diffère, comparer, comparaison, qu'est-ce qui change, entre, avant, précédent, précédente",
        "de": "unterschied, unterschiede, unterscheidet, unterscheiden, vergleich, vergleichen, zwischen, vorher, davor, unter",
        "it": "differenza, differenze, differisce, diverso, diversa, confronto, confrontare, tra, fra, prima, precedente",
        "ru": "разница, разницу, разницы, различие, различия, отличается, отличаются, отличие, отличия, сравнить, сравнение, чем отличается, между, перед, предыдущий, ниже",
        "nl": "verschil, verschillen, verschilt, vergelijk, vergelijken, vergelijking, wat verandert, verandert, veranderen, tussen, vorige",
    },
    "next": {
        "pt": "depois, após, próximo, próxima, seguinte, acima, vem depois",
        "es": "después, tras, próximo, próxima, siguiente, encima",
        "fr": "après, prochain, prochaine, suivant, suivante, au dessus",
        "de": "nach, nächste, nächster, nächstes, nächsten, danach, darüber, folgende",
        "it": "dopo, prossimo, prossima, successivo, successiva, sopra",
        "ru": "после, следующий, следующая, следующее, следующего, следующем, дальше, выше",
        "nl": "na, daarna, hierna, volgende, volgend, komt er na, boven",
    },
    "equivalent": {
        "pt": "equivalente, equivalentes, equivale, equivalência, corresponde, correspondente, mesmo nível, paralelo",
        "es": "equivalente, equivalentes, equivale, equivalencia, corresponde, correspondiente, mismo nivel, paralelo",
        "fr": "équivalent, équivalente, équivalents, équivaut, correspond, correspondant, même niveau",
        "de": "entspricht, entsprechend, entsprechende, äquivalent, gleichwertig, vergleichbar, gleiche stufe",
        "it": "equivalente, equivalenti, equivale, corrisponde, corrispondente, stesso livello",
        "ru": "эквивалент, эквивалентен, эквивалентный, соответствует, соответствуют, соответствие, соответствующий, аналог, аналогичный, равен, тот же уровень",
        "nl": "gelijkwaardig, gelijkwaardige, equivalent, equivalente, komt overeen, overeenkomend, vergelijkbaar, hetzelfde niveau, zelfde niveau",
    },
    "switch": {
        "pt": "mudar, mudança, trocar, troca, transição, migrar, passar para, tornar, virar",
        "es": "cambiar, cambio, transición, pasar a, convertirme, convertirse, llegar a ser",
        "fr": "changer, passer, transition, devenir, reconversion",
        "de": "wechseln, wechsel, werden, werde, umsteigen, übergang",
        "it": "cambiare, passare, diventare, transizione",
        "ru": "перейти, переход, перейти, сменить, стать, становиться, перевестись",
        "nl": "overstappen, overstap, wisselen, switchen, overgang, worden",
    },
    "promotion": {
        "pt": "promoção, promoções, promovido, promovida, promover, progressão, progredir, subir de nível",
        "es": "promoción, promociones, ascenso, ascender, ascendido, promovido, progresión, progresar",
        "fr": "promotion, promotions, promu, promue, avancement, progression, progresser",
        "de": "beförderung, befördert, befördern, aufstieg, aufsteigen",
        "it": "promozione, promozioni, promosso, promossa, avanzamento, progressione",
        "ru": "повышение, повышения, повысить, повысят, продвижение, карьерный рост",
        "nl": "promotie, promoties, bevordering, bevorderd, doorgroeien, doorgroei, carrièrestap",
    },
    "ladder": {
        "pt": "níveis, escada, trilha, trilhas, estrutura, matriz, visão geral, todos os níveis",
        "es": "niveles, escalera, estructura, matriz, todos los niveles",
        "fr": "niveaux, échelle, structure, matrice, grille, tous les niveaux",
        "de": "stufen, ebenen, struktur, übersicht, matrix, karriereleiter, alle stufen",
        "it": "livelli, scala, struttura, panoramica, matrice, tutti i livelli",
        "ru": "уровни, грейды, лестница, структура, матрица, все уровни",
        "nl": "niveaus, functiehuis, structuur, overzicht, matrix, alle niveaus, loopbaanpad",
    },
    "competencies": {
        "pt": "competências, competência, habilidades",
        "es": "competencias, habilidades",
        "fr": "compétences, compétence",
        "de": "kompetenzen, kompetenz, fähigkeiten",
        "it": "competenze, competenza, abilità",
        "ru": "компетенции, компетенция, навыки",
        "nl": "competenties, competentie, vaardigheden",
    },
    "help": {
        "pt": "ajuda, olá, oi",
        "es": "ayuda, hola",
        "fr": "aide, bonjour, salut",
        "de": "hilfe, hallo",
        "it": "aiuto, ciao",
        "ru": "помощь, помоги, привет",
        "nl": "hulp, hallo, hoi",
    },
    "personal": {
        "pt": "eu, meu, minha, meus, minhas, mim",
        "es": "yo, mis, mí",
        "fr": "je, moi, mon",
        "de": "ich, mich, mir, mein, meine, meinen, meinem",
        "it": "io, mio, mia, miei",
        "ru": "я, мне, мой, моя, моё, мои, меня",
        "nl": "ik, mij, mijn",
    },
    "time": {
        "pt": "anos, meses, quanto tempo, quantos anos, demora",
        "es": "años, meses, cuánto tiempo, cuántos años, tarda",
        "fr": "ans, années, mois, combien de temps, durée",
        "de": "jahre, jahren, monate, monaten, wie lange, dauer, dauert",
        "it": "anni, mesi, quanto tempo, durata",
        "ru": "лет, года, месяцев, месяца, сколько времени, как долго, сколько лет, срок",
        "nl": "jaar, jaren, maanden, hoe lang, hoeveel jaar, duurt, duur",
    },
    "gap": {
        "pt": "preciso, precisa, precisam, necessário, requisitos, falta, o que falta",
        "es": "necesito, necesita, necesario, requisitos, falta, me falta",
        "fr": "besoin, faut, manque, requis, prérequis",
        "de": "brauche, braucht, fehlt, voraussetzungen, nötig",
        "it": "bisogno, serve, manca, requisiti, necessario",
        "ru": "нужно, надо, требуется, требования, не хватает",
        "nl": "nodig, ontbreekt, vereisten, eisen",
    },
    "arrive": {
        "pt": "chegar, atingir, alcançar, tornar, virar",
        "es": "llegar, alcanzar, convertirme, convertirse",
        "fr": "atteindre, arriver, devenir",
        "de": "erreichen, werden, werde",
        "it": "raggiungere, arrivare, diventare",
        "ru": "стать, достичь, дойти, перейти",
        "nl": "bereiken, worden, halen",
    },
    "generic": {
        "pt": "esperado, esperada, esperados, esperadas, espera, esperam, expectativa, expectativas, nível, cargo, papel, função, significa, faz, comportamento, comportamentos, responsabilidades",
        "es": "esperado, esperada, esperados, esperan, espera, expectativa, expectativas, nivel, cargo, rol, puesto, función, significa, hace, comportamiento, comportamientos, responsabilidades",
        "fr": "attendu, attendue, attendus, attentes, attend, niveau, rôle, poste, signifie, fait, comportement, comportements, responsabilités",
        "de": "erwartet, erwartung, erwartungen, stufe, rolle, position, bedeutet, macht, verhalten, aufgaben, verantwortung",
        "it": "atteso, attesa, previsto, aspettative, livello, ruolo, significa, fa, comportamento, comportamenti, responsabilità",
        "ru": "ожидается, ожидают, ожидания, уровень, роль, должность, означает, значит, делает, кто такой, кто такая, кто такие, что такое, поведение, обязанности",
        "nl": "verwacht, verwachting, verwachtingen, niveau, functie, rol, betekent, doet, gedrag, verantwoordelijkheden, taken, wordt",
        # Japanese and Chinese "what is X": cut out of the run after a name ("L4とは？", "L4って何ですか", "L4是什么")
        "ja": "とは, とは何, とは何ですか, って何, って何ですか, 何ですか, 意味, 役割, 仕事, 期待",
        "zh": "是什么, 是什麼, 什么是, 什麼是, 是啥, 意思, 角色, 职责, 職責, 工作",
    },
}

LANGUAGES = ("pt", "es", "fr", "de", "it", "ru", "nl")
"""Portuguese, Spanish, French, German, Italian, Russian, Dutch."""


def _phrases(line: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in line.split(",") if p.strip())


BUILT_IN: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {kind: tuple(dict.fromkeys(p for line in by.values() for p in _phrases(line))) for kind, by in _BY_LANGUAGE.items()}
)
"""Per kind of question, the built-in words of every language above, as written (not yet in normal form)."""
