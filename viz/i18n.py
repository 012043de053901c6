"""The views' words in Kazakh, Russian and English: page strings, label and relationship names.

`t(key, lang)` falls back to English, then to the key itself; `label_name` and `rel_name` fall
back to English, then to the schema's own name. Entity names come from the data (`name_kk`,
`name_ru`, `name_en`, then `name`), see `viz.views.display_name`.
"""
from __future__ import annotations

LANGS = ("en", "kk", "ru")

# label -> (en, kk, ru), singular and plural
LABELS: dict[str, tuple[str, str, str]] = {
    "Region": ("Region", "Өңір", "Регион"),
    "Confession": ("Confession", "Конфессия", "Конфессия"),
    "ReligiousAssociation": ("Religious association", "Діни бірлестік", "Религиозное объединение"),
    "StateBody": ("State body", "Мемлекеттік орган", "Государственный орган"),
    "Council": ("Council", "Кеңес", "Совет"),
    "Programme": ("Programme", "Бағдарлама", "Программа"),
    "Measure": ("Measure", "Іс-шара", "Мероприятие"),
    "Event": ("Event", "Оқиға", "Событие"),
    "Person": ("Person", "Тұлға", "Лицо"),
    "LegalAct": ("Legal act", "Құқықтық акт", "Правовой акт"),
    "Publication": ("Publication", "Басылым", "Издание"),
    "Observation": ("Observation", "Көрсеткіш", "Показатель"),
    "Document": ("Document", "Құжат", "Документ"),
}
LABELS_PLURAL: dict[str, tuple[str, str, str]] = {
    "Region": ("regions", "өңір", "регионов"),
    "Confession": ("confessions", "конфессия", "конфессий"),
    "ReligiousAssociation": ("associations", "бірлестік", "объединений"),
    "StateBody": ("state bodies", "мемлекеттік орган", "госорганов"),
    "Council": ("councils", "кеңес", "советов"),
    "Programme": ("programmes", "бағдарлама", "программ"),
    "Measure": ("measures", "іс-шара", "мероприятий"),
    "Event": ("events", "оқиға", "событий"),
    "Person": ("people", "тұлға", "лиц"),
    "LegalAct": ("legal acts", "құқықтық акт", "правовых актов"),
    "Publication": ("publications", "басылым", "изданий"),
    "Observation": ("observations", "көрсеткіш", "показателей"),
    "Document": ("documents", "құжат", "документов"),
}
RELS: dict[str, tuple[str, str, str]] = {
    "BELONGS_TO": ("belongs to", "тиесілі", "относится к"),
    "SUBTYPE_OF": ("branch of", "тармағы", "направление"),
    "PART_OF": ("part of", "құрамында", "входит в"),
    "LOCATED_IN": ("located in", "орналасқан", "находится в"),
    "ATTACHED_TO": ("attached to", "жанында", "при"),
    "MEMBER_OF": ("member of", "мүшесі", "член"),
    "DEVELOPED": ("developed", "әзірледі", "разработал"),
    "APPROVED": ("approved", "бекітті", "утвердил"),
    "RESPONSIBLE_FOR": ("responsible for", "жауапты", "ответственный"),
    "ORGANIZED": ("organised", "ұйымдастырды", "организовал"),
    "HELD_AT": ("held at", "өткен жері", "место проведения"),
    "PARTICIPATED_IN": ("took part in", "қатысты", "участвовал"),
    "SPOKE_AT": ("spoke at", "сөз сөйледі", "выступил"),
    "HOLDS_POSITION": ("holds a position in", "лауазымы", "занимает должность"),
    "ABOUT": ("about", "туралы", "о"),
    "IN": ("in", "аумағында", "в"),
    "REGULATES": ("regulates", "реттейді", "регулирует"),
    "REFERS_TO": ("refers to", "сілтеме жасайды", "ссылается на"),
    "MENTIONS": ("mentions", "атап өтеді", "упоминает"),
}

# observation metrics the views name (others are shown as their key, underscores as spaces)
METRICS: dict[str, tuple[str, str, str]] = {
    "religious_associations": ("religious associations", "діни бірлестіктер саны", "число религиозных объединений"),
    "confessions_and_denominations": ("confessions and denominations", "конфессиялар мен деноминациялар саны",
                                      "число конфессий и деноминаций"),
}

# page strings: key -> (en, kk, ru); `{name}`-style fields are filled by `t(..., **fields)`
STRINGS: dict[str, tuple[str, str, str]] = {
    "legend": ("Legend", "Шартты белгілер", "Легенда"),
    "relationships": ("Relationships", "Байланыстар", "Связи"),
    "filters": ("Filters", "Сүзгілер", "Фильтры"),
    "details": ("Details", "Толығырақ", "Подробности"),
    "hint": ("Click a node or an edge to see its properties and where they came from.",
             "Қасиеттері мен дереккөздерін көру үшін түйінді не байланысты басыңыз.",
             "Нажмите на узел или связь, чтобы увидеть свойства и источники."),
    "search_placeholder": ("Find a node by name or id", "Атауы не id бойынша іздеу", "Найти узел по имени или id"),
    "focus": ("Focus", "Табу", "Найти"),
    "no_match": ("no match", "табылмады", "не найдено"),
    "min_degree": ("Min. degree", "Ең аз байланыс саны", "Мин. число связей"),
    "year": ("Year", "Жыл", "Год"),
    "all_years": ("all years", "барлық жылдар", "все годы"),
    "up_to": ("up to {year}", "{year} жылға дейін", "до {year} г."),
    "export_png": ("PNG", "PNG", "PNG"),
    "export_graphml": ("GraphML", "GraphML", "GraphML"),
    "export_title": ("Download the current view", "Ағымдағы көріністі жүктеу", "Скачать текущий вид"),
    "drawn": ("{nodes} nodes, {rels} relationships drawn", "{nodes} түйін, {rels} байланыс сызылды",
              "показано узлов: {nodes}, связей: {rels}"),
    "drawn_grouped": ("{nodes} nodes and {edges} edges drawn, standing for {total} nodes and {rels} relationships",
                      "{nodes} түйін мен {edges} сызық сызылды: {total} түйін мен {rels} байланыстың орнына",
                      "показано узлов: {nodes}, линий: {edges} — вместо {total} узлов и {rels} связей"),
    "shown": ("{shown} visible", "{shown} көрінеді", "видно: {shown}"),
    "not_shown": ("+{n} not shown", "+{n} көрсетілмеді", "+{n} не показано"),
    "properties": ("Properties", "Қасиеттері", "Свойства"),
    "sources": ("Sources", "Дереккөздер", "Источники"),
    "no_sources": ("none recorded on the node", "түйінде жазылмаған", "у узла не записаны"),
    "quoted": ("Quoted in this view", "Осы көріністегі дәйексөздер", "Цитаты в этом виде"),
    "connections": ("Connections in this view", "Осы көріністегі байланыстар", "Связи в этом виде"),
    "observations": ("Observations", "Көрсеткіштер", "Наблюдения"),
    "members": ("Members", "Құрамы", "Состав"),
    "more": ("+{n} more", "тағы {n}", "ещё {n}"),
    "document": ("document", "құжат", "документ"),
    "group_hint": ("A group of nodes drawn as one, so the page stays responsive.",
                   "Бет баяуламас үшін бір түйін ретінде сызылған топ.",
                   "Группа узлов, показанная одним узлом, чтобы страница не тормозила."),
    "aggregated": ("This view has {total} nodes, more than the {cap} drawn at once: {grouped} of them are drawn as "
                   "{groups} group nodes such as “{example}”. Click a group to list its members.",
                   "Бұл көріністе {total} түйін бар, бір сәтте сызылатын {cap} шегінен көп: олардың {grouped} "
                   "түйіні «{example}» сияқты {groups} топқа біріктірілді. Құрамын көру үшін топты басыңыз.",
                   "В этом виде {total} узлов — больше, чем {cap}, которые рисуются сразу: {grouped} из них "
                   "показаны {groups} узлами-группами, например «{example}». Нажмите на группу, чтобы увидеть состав."),
    "truncated": ("{n} more nodes could not be grouped and are not drawn.",
                  "Тағы {n} түйінді топтау мүмкін болмады, олар сызылмады.",
                  "Ещё {n} узлов не удалось сгруппировать, они не показаны."),
    "group_name": ("+{n} {what} · {where}", "+{n} {what} · {where}", "+{n} {what} · {where}"),
    "neighbourhood_title": ("Neighbourhood of {name}", "{name}: көршілес түйіндер", "Окружение: {name}"),
    "neighbourhood_note": ("{shown} of {total} neighbours within {depth} hop(s)",
                           "{depth} қадам ішіндегі {total} көршінің {shown}",
                           "{shown} из {total} соседей в пределах {depth} шаг(ов)"),
    "programme_title": ("Programme map: {name}", "Бағдарлама картасы: {name}", "Карта программы: {name}"),
    "programme_note": ("{measures} measures in {directions} directions, {bodies} responsible bodies; "
                       "funding {funding}",
                       "{directions} бағыттағы {measures} іс-шара, {bodies} жауапты орган; қаржыландыру {funding}",
                       "{measures} мероприятий по {directions} направлениям, {bodies} ответственных органов; "
                       "финансирование {funding}"),
    "directions": ("Directions", "Бағыттар", "Направления"),
    "no_direction": ("(no direction)", "(бағыты жоқ)", "(без направления)"),
    "edge_width_funding": ("Edge width: funding of the measure ({unit}); dashed: no funding in the selected year",
                           "Сызық жуандығы: іс-шараны қаржыландыру ({unit}); үзік сызық: таңдалған жылы қаржы жоқ",
                           "Толщина линии: финансирование мероприятия ({unit}); пунктир: нет финансирования в выбранном году"),
    "lead_edge": ("Thick RESPONSIBLE_FOR: the lead body", "Жуан RESPONSIBLE_FOR: негізгі орындаушы",
                  "Толстая RESPONSIBLE_FOR: головной исполнитель"),
    "landscape_title": ("Confession landscape", "Конфессиялар картасы", "Конфессиональная карта"),
    "landscape_note": ("{confessions} confessions, {associations} associations, {regions} regions; size: {metric}",
                       "{confessions} конфессия, {associations} бірлестік, {regions} өңір; өлшемі: {metric}",
                       "{confessions} конфессий, {associations} объединений, {regions} регионов; размер: {metric}"),
    "size_by_count": ("Node size: the latest {metric} observed up to the selected year",
                      "Түйін өлшемі: таңдалған жылға дейінгі соңғы «{metric}» көрсеткіші",
                      "Размер узла: последнее значение «{metric}» до выбранного года"),
    "path_title": ("Path: {a} → {b}", "Жол: {a} → {b}", "Путь: {a} → {b}"),
    "path_note": ("shortest path of {n} relationship(s)", "{n} байланыстан тұратын ең қысқа жол",
                  "кратчайший путь из {n} связей"),
    "no_path": ("no path within {n} relationships", "{n} байланыс ішінде жол жоқ", "нет пути длиной до {n} связей"),
    "structure_title": ("Councils and bodies", "Кеңестер мен органдар", "Советы и органы"),
    "structure_root_title": ("Structure around {name}", "{name} құрылымы", "Структура: {name}"),
    "structure_note": ("who is attached to, part of or member of what: {types}",
                       "кім неге қарасты, кім неге кіреді: {types}",
                       "кто при ком, кто куда входит: {types}"),
}


def check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")


def _pick(triple: tuple[str, str, str] | None, lang: str) -> str | None:
    if not triple:
        return None
    return triple[LANGS.index(lang)] or triple[0] if lang in LANGS else triple[0]


def t(key: str, lang: str = "en", **fields) -> str:
    text = _pick(STRINGS.get(key), lang) or key
    return text.format(**fields) if fields else text


def label_name(label: str, lang: str = "en", *, plural: bool = False) -> str:
    return _pick((LABELS_PLURAL if plural else LABELS).get(label), lang) or label


def rel_name(rel_type: str, lang: str = "en") -> str:
    return _pick(RELS.get(rel_type), lang) or rel_type


def metric_name(metric: str, lang: str = "en") -> str:
    return _pick(METRICS.get(metric), lang) or metric.replace("_", " ")


def strings(lang: str) -> dict[str, str]:
    """Every page string in `lang` (with English where a translation is missing), for the page's script."""
    return {key: _pick(v, lang) or key for key, v in STRINGS.items()}
