"""The words operators use for what the cameras see, in the four site languages, mapped to
the describer's typed attributes (`vigil.domain.Detection`): colours by body part,
garments, postures, what is worn or carried; and what the site's models cannot perceive.

A question is read with it (`agent.understanding`), an answer's claims are checked with it
(`agent.claims`), and tracks are matched with it (`tools.video`): what is compared is
typed attributes, never the wording of captions. Garment kinds are read but only their
body part is compared: the packaged describer names garments from ImageNet crops ("jersey",
"long robe", "skirt" for one cardigan), which is no ground to call a claim false.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from vigil.domain import Box, Detection
from vigil.errors import InvalidInputError
from vigil.language import language_of

# colour -> its words (EN, NL, FR, ES); the colours are the describer's (vigil.models.colours)
COLOUR_WORDS: dict[str, str] = {
    "dark grey": "dark grey|dark gray|charcoal|donkergrijs|donkergrijze|antraciet|gris foncé|"
    "gris oscuro|anthracite",
    "navy": "navy|navy blue|donkerblauw|donkerblauwe|marineblauw|marineblauwe|bleu marine|"
    "azul marino|marino|marine",
    "dark red": "dark red|maroon|burgundy|bordeaux|donkerrood|donkerrode|rouge foncé|granate|"
    "burdeos",
    "black": "black|zwart|zwarte|noir|noire|noirs|noires|negro|negra|negros|negras",
    "white": "white|wit|witte|blanc|blanche|blancs|blanches|blanco|blanca|blancos|blancas",
    "grey": "grey|gray|light grey|light gray|silver|grijs|grijze|lichtgrijs|lichtgrijze|zilver|"
    "zilveren|zilverkleurig|zilverkleurige|gris|grise|grises|gris clair|argenté|argentée|"
    "gris claro|plateado|plateada|plateados|plateadas|plata|zilvergrijs|zilvergrijze",
    "red": "red|rood|rode|rooie|rouge|rouges|rojo|roja|rojos|rojas",
    "blue": "blue|light blue|blauw|blauwe|lichtblauw|lichtblauwe|bleu|bleue|bleus|bleues|"
    "bleu clair|azul|azules|celeste|sky blue|baby blue|pale blue|babyblauw|babyblauwe|"
    "hemelsblauw|hemelsblauwe|bleu ciel|bleu pâle|azul cielo|azul claro|azul celeste",
    "green": "green|groen|groene|vert|verte|verts|vertes|verde|verdes|olive|olijfgroen|"
    "khaki|kaki|caqui",
    "yellow": "yellow|geel|gele|jaune|jaunes|amarillo|amarilla|amarillos|amarillas",
    "orange": "orange|oranje|naranja|naranjas",
    "brown": "brown|bruin|bruine|donkerbruin|donkerbruine|lichtbruin|lichtbruine|marron|"
    "brun|brune|marrón|marrones|café|camel",
    "beige": "beige|beis|crème|crema|tan",
    "pink": "pink|roze|rose|roses|rosa|rosado|rosada",
    "purple": "purple|paars|paarse|violet|violette|morado|morada|púrpura|lila",
}
# colours a reading can be taken for: the colour namer's neighbours (a grey cardigan in a
# dim room reads dark grey; navy in shade reads black is not allowed: too many are black)
NEIGHBOURS: dict[str, frozenset[str]] = {
    "grey": frozenset({"grey", "dark grey"}),
    "dark grey": frozenset({"dark grey", "grey", "black"}),
    "black": frozenset({"black", "dark grey"}),
    "white": frozenset({"white", "grey"}),
    "red": frozenset({"red", "dark red"}),
    "dark red": frozenset({"dark red", "red", "brown"}),
    "blue": frozenset({"blue", "navy"}),
    "navy": frozenset({"navy", "blue"}),
    "brown": frozenset({"brown", "beige", "dark red"}),
    "beige": frozenset({"beige", "brown"}),
}

# garment words -> the body part they cover
GARMENT_WORDS: dict[str, str] = {
    "upper": "top|tops|tee|tees|shirt|shirts|t-shirt|tshirt|blouse|sweater|jumper|pullover|"
    "cardigan|cardi|cardis|jersey|sweatshirt|hoodie|jacket|coat|fleece|anorak|parka|raincoat|"
    "overcoat|"
    "trui|truitje|vest|vestje|jas|jasje|jack|overhemd|bloes|colbert|sweater|hemd|"
    "pull|pull-over|gilet|veste|chemise|chemisier|manteau|blouson|haut|sweat|tee-shirt|"
    "doudoune|imperméable|camisa|camiseta|chaqueta|chaqueta de punto|suéter|abrigo|sudadera|"
    "blusa|chaleco|cazadora|chamarra|polo|blazer|mantel|regenjas|windjack|bodywarmer|"
    "capuchontrui|polaire|sweat à capuche|cardigan|gilet en laine|rebeca|cárdigan|jersey|"
    "jerséi|chándal|trainingsjack|vest|waistcoat|tunic|tuniek|tunique|túnica|"
    "hood|hooded|hoody|capuchon|capuche|capucha",
    "lower": "trousers|pants|jeans|skirt|shorts|leggings|tights|broek|spijkerbroek|rok|"
    "korte broek|legging|panty|pantalon|pantalons|jean|jupe|collant|pantalón|pantalones|"
    "vaqueros|falda|pantalón corto|mallas|medias|joggingbroek|chino|chinos|"
    "bermuda|bermudas|leggins|pantalon de survêtement",
    "whole": "dress|jurk|robe|vestido",
    # the colour of hair is not seen: "lange zwarte haar en lichtgrijs vest" is a grey top
    "hair": "hair|haar|haren|krulhaar|cheveux|pelo|cabello|melena",
}
# how hair, a face or sleeves look: words that say who is meant ("la morena de melena
# lisa", "the guy w/ the specs"), read as such; the describer sees none of them, so hair
# asked for itself is unseeable (`UNSEEABLE`)
POINTING_WORDS = (
    "glasses|specs|spectacles|sunglasses|beard|bearded|moustache|mustache|sleeve|sleeves|"
    "short-sleeved|long-sleeved|bril|brilletje|zonnebril|baard|snor|mouwen|korte mouwen|"
    "lunettes|barbe|barbu|manches courtes|manches longues|gafas|barba|barbudo|bigote|"
    "manga corta|manga larga|"
    "straight|curly|wavy|blond|blonde|blondes|brunette|brunettes|ginger|redhead|redheads|"
    "bald|ponytail|steil|krullen|krullend|krullende|golvend|golvende|kaal|paardenstaart|"
    "raides|lisses|frisé|frisée|frisés|frisées|bouclé|bouclée|bouclés|bouclées|ondulés|"
    "blonds|rousse|roux|chauve|queue de cheval|liso|lisa|rizado|rizada|ondulado|"
    "ondulada|rubio|rubia|rubios|rubias|morena|morenas|pelirrojo|pelirroja|calvo|coleta"
)
# kinds of vehicle (the describer's labels: ImageNet's from video, COCO's on stills)
VEHICLE_WORDS: dict[str, str] = {
    "truck": "truck|trucks|lorry|lorries|vrachtwagen|vrachtwagens|vrachtauto|camion|camions|"
    "poids lourd|camión|camiones",
    "bus": "bus|buses|busses|coach|coaches|autobus|bussen|touringcar|autocar|autobús|autobuses",
    "van": "van|vans|minivan|busje|busjes|bestelbus|bestelbusje|bestelwagen|camionnette|"
    "fourgon|fourgonnette|utilitaire|furgoneta|furgonetas|furgón",
    "motorbike": "motorbike|motorbikes|motorcycle|motorcycles|motor|motoren|motorfiets|"
    "motorfietsen|scooter|scooters|brommer|brommers|moto|motos|motocicleta|motocicletas",
    "car": "car|cars|auto|auto's|autos|autootje|autootjes|personenauto|wagen|wagens|voiture|"
    "voitures|bagnole|bagnoles|"
    "coche|coches|carro|sports car|"
    "sportwagen|sportauto|voiture de sport|bolide|deportivo|coche deportivo|hatchback|"
    # not French "break" nor Spanish "familiar": English words too ("break in", "familiar")
    "sedan|saloon|stationwagen|berline|turismo|todoterreno|jeep|suv|4x4|coupé|coupe|"
    "cabrio|cabriolet|convertible|estate car|citadine|monospace|berlina|descapotable|cupé",
}
# where people sit, lie or stand: named beside a person ("at the table"), not asked about
SEATS = frozenset({"dining table", "chair", "bench", "couch", "bed"})
# things in a scene the object detector names on still images (COCO), and their words
OBJECT_WORDS: dict[str, str] = {
    "dining table": "table|tables|tafel|tafels|mesa|mesas",
    "chair": "chair|chairs|stoel|stoelen|chaise|chaises|silla|sillas",
    "bench": "bench|benches|bankje|bankjes|banc|bancs|banco|bancos",
    "couch": "couch|couches|sofa|sofas|settee|zetel|zetels|canapé|canapés|sofá|sofás",
    "bed": "bed|beds|bedden|lit|lits|cama|camas",
    "dog": "dog|dogs|hond|honden|hondje|hondjes|chien|chiens|chienne|chiot|perro|perros|"
    "perrito|perritos",
    "cat": "cat|cats|kat|katten|katje|poes|poezen|chat|chats|chaton|gato|gatos|gatito",
    "horse": "horse|horses|pony|paard|paarden|paardje|cheval|chevaux|caballo|caballos",
    "sheep": "sheep|lamb|lambs|schaap|schapen|schaapje|lam|mouton|moutons|brebis|agneau|"
    "oveja|ovejas|cordero|corderos",
    "cow": "cow|cows|cattle|koe|koeien|vache|vaches|vaca|vacas",
    "bird": "bird|birds|vogel|vogels|vogeltje|oiseau|oiseaux|pájaro|pájaros|pajaro|pajaros",
    "elephant": "elephant|elephants|olifant|olifanten|olifantje|olifantjes|éléphant|"
    "éléphants|elefante|elefantes",
    "giraffe": "giraffe|giraffes|giraf|giraffen|girafe|girafes|jirafa|jirafas",
    "zebra": "zebras|zèbre|zèbres|cebra|cebras",
    # a tram is a train to the detector: COCO has no tram
    "train": "train(?! de)|trains|trein|treinen|tren|trenes|trams?|tramway|tramways|tranv[ií]as?",
    "boat": "boat|boats|ship|ships|boten|bootje|bootjes|schip|schepen|bateau|bateaux|"
    "barque|navire|barco|barcos|barca|bote|botes",
    "airplane": "airplane|airplanes|aeroplane|plane|planes|aircraft|jets?|jetliners?|"
    "airliners?|vliegtuig|vliegtuigen|avion|avions|avión|aviones",
    "laptop": "laptop|laptops|ordinateur portable|pc portable|portátil|portátiles",
    "tv": "tv|tvs|television|televisie|télé|télévision|televisor|televisión",
    "bottle": "bottle|bottles|fles|flessen|flesje|bouteille|bouteilles|botella|botellas",
    "pizza": "pizza|pizzas|pizza's",
    "cake": "cake|cakes|taart|taarten|gâteau|gâteaux|tarta|tartas",
    "book": "book|books|boek|boeken|livres|libro|libros",
    "potted plant": "potted plant|plant|plants|kamerplant|plante|plantes|planta en maceta",
    "refrigerator": "fridge|refrigerator|koelkast|frigo|réfrigérateur|nevera|frigorífico",
    "kite": "kite|kites|vlieger|vliegers|cerf-volant|cerfs-volants|cometa|cometas",
    "sports ball": "ball|balls|football|bal|ballen|voetbal|ballon|balle|pelota|balón",
    "skateboard": "skateboard|skateboards|skateboarders?|skaters?|monopatín",
    "teddy bear": "teddy bear|teddy|teddybeer|knuffelbeer|nounours|ours en peluche|"
    "peluche|osito de peluche|oso de peluche",
    "toothbrush": "toothbrush|toothbrushes|tandenborstel|tandenborstels|brosse à dents|"
    "brosses à dents|cepillo de dientes|cepillos de dientes",
    "scissors": "scissors|schaar|scharen|ciseaux|tijera|tijeras",
    "bowl": "bowl|bowls|kommen|schaal|bol|bols|cuenco|cuencos|tazón",
    "cup": "cup|cups|mug|mugs|kopje|kopjes|beker|bekers|mok|tasse|tasses|taza|tazas",
    "wine glass": "wine glass|wine glasses|wijnglas|wijnglazen|verre à vin|copa|copas",
    "knife": "knife|knives|messen|couteau|couteaux|cuchillo|cuchillos",
    "banana": "banana|bananas|banaan|bananen|banane|bananes|plátano|plátanos",
    "apple": "apple|apples|appel|appels|pomme|pommes|manzana|manzanas",
    "sandwich": "sandwich|sandwiches|sandwichs|broodje|broodjes|bocadillo|bocadillos",
    # the fruit, not the colour: a noun after its article
    "orange": "oranges|an orange|sinaasappels?|(?:(?<=une )|(?<=des )|(?<=les ))oranges?|"
    "(?:(?<=una )|(?<=las ))naranjas?",
    "clock": "clock|clocks|klok|klokken|horloge|pendule|reloj|relojes",
    "vase": "vase|vases|vaas|vazen|jarrón|jarrones|florero",
    "keyboard": "keyboard|keyboards|toetsenbord|clavier|teclado",
    "microwave": "microwave|magnetron|micro-ondes|microondas",
    # not French "four": English "four" is a number
    "oven": "oven|ovens|fornuis|cuisinière|cuisiniere|horno|hornos|cocina de gas",
    "toaster": "toaster|toasters|broodrooster|broodroosters|grille-pain|tostadora|tostador",
    # the bowl: "toilet(s)", "wc" and "toilettes" are the room too (`SCENE_NAMES`)
    "toilet": "toilet bowls?|toiletpot|toiletpotten|wc-pot|wc-potten|cuvette|cuvettes|"
    "inodoros?|váter|vater|wáter|retrete|retretes",
    "fork": "fork|forks|vork|vorken|fourchette|fourchettes|tenedor|tenedores",
    "spoon": "spoon|spoons|lepel|lepels|cuillère|cuillères|cuchara|cucharas",
    # not a bare "remote" ("a remote corner"), but "the remote"
    "remote": "remotes|remote controls?|tv remote|(?:(?<=the )|(?<=a ))remote"
    "(?= ?[?.,!]|$| (?:on|in|at|is|was|lying|left|by|near|next))|"
    "afstandsbediening(?:en)?|télécommandes?|mandos? a distancia",
    "hair drier": "hair ?dr[iy]er|föhn|fohn|haardroger|sèche-cheveux|secador",
    "tie": "necktie|stropdas|cravate|corbata",
    "donut": "donut|donuts|doughnuts?|beignet|beignets|dónut|rosquilla",
    "carrot": "carrot|carrots|wortel|wortels|worteltjes|carotte|carottes|zanahoria|zanahorias",
    "broccoli": "broccoli|brocoli|brócoli",
    "hot dog": "hot ?dogs?|hotdog|hotdogs|perrito caliente",
    "skis": "skis?|ski's|esquís|esquíes",
    "snowboard": "snowboards?",
    "stop sign": "stop sign|stopbord|panneau stop|señal de stop",
    "parking meter": "parking meter|parkeermeter|parcmètre|parquímetro",
    "sink": "sink|sinks|basin|basins|washbasin|wash basin|wastafel|gootsteen|lavabo|évier|"
    "fregadero",
    "surfboard": "surfboard|surfboards|surfplank|planche de surf|tabla de surf",
    "frisbee": "frisbee|frisbees",
    "tennis racket": "tennis racket|tennisracket|raquette|raqueta",
    "baseball bat": "baseball bat|honkbalknuppel|batte de baseball|bate de béisbol",
    "baseball glove": "baseball glove|honkbalhandschoen|gant de baseball|guante de béisbol",
    "traffic light": "traffic light|traffic lights|stoplicht|verkeerslicht|feu rouge|"
    "feu tricolore|semáforo|semáforos",
    "fire hydrant": "fire hydrant|hydrant|brandkraan|bouche d'incendie|borne incendie|"
    "hidrante|boca de incendios",
}
# what a camera looks at (`vigil.models.scene`'s words) as operators name it
SCENE_NAMES: dict[str, str] = {
    "kitchen": "kitchen|keuken|cuisine|cocina",
    "dining area": "restaurant|canteen|cafeteria|dining room|dining area|kantine|eetzaal|"
    "cantine|salle à manger|réfectoire|comedor|cantina|cafetería",
    "office": "office|kantoor|bureau|oficina|despacho",
    "bathroom": "bathroom|toilet|toilets|washroom|badkamer|wc|salle de bain|toilettes|baño|aseo",
    "shop": "shop|store|supermarket|winkel|supermarkt|magasin|boutique|supermarché|tienda|"
    "supermercado",
    "library": "library|bibliotheek|bibliothèque|biblioteca",
    "street": "street|road|straat|weg|rue|route|calle|carretera",
    "car park": "car park|parking lot|parking garage|parkeerplaats|parkeergarage|parking|"
    "aparcamiento",
    "garden": "garden|park|tuin|jardin|jardín|parque",
    "waterfront": "waterfront|harbour|harbor|quay|haven|kade|port|quai|puerto|muelle",
}
POSTURE_WORDS: dict[str, str] = {
    "sitting": "sit|sits|sitting|sat|seated|zit|zitten|zat|zaten|zittend|zittende|assis|"
    "assise|assises|s'asseoir|asseoir|sentado|sentada|sentados|sentadas|sentarse|sentó",
    "lying": "lying|lie|lies|lay|lie down|lying down|on the ground|on the floor|ligt|liggen|"
    "lag|lagen|"
    "liggend|liggende|op de grond|couché|couchée|couchés|allongé|allongée|au sol|par terre|"
    "tumbado|tumbada|acostado|acostada|tendido|tendida|en el suelo|por el suelo|"
    # a fall is seen by where it ends: someone lying
    "fall|falls|fell|fallen|fall over|fell over|collapsed?|gevallen|omgevallen|neergevallen|"
    "tombé|tombée|tombés|tomber|chute|caído|caída|se cayó|cayó|caerse",
    "bending": "bend|bends|bending|bent over|bukken|bukt|bukte|gebukt|voorovergebogen|"
    "penché|penchée|se pencher|agachado|agachada|agacharse|inclinado|inclinada",
    "arms raised": "hands up|arms up|arms raised|raised (?:his|her|their) arms|handen omhoog|"
    "armen omhoog|bras levés|mains en l'air|les bras en l'air|brazos levantados|"
    "manos arriba|manos en alto",
    "standing": "stand|stands|standing|stood|staan|staat|stond|stonden|staand|staande|"
    "debout|planté|plantée|plantés|de pie",
}
# a vehicle stopped or parked: standing, as its track tells (`track_postures`); said of a
# person ("walked past the parked car") it is not their posture
STOPPED_WORDS = (
    "stop|stops|stopped|parked|parking up|halted|stilstaan|stilgestaan|stilstond|"
    "stopte|stopten|gestopt|parkeerde|parkeerden|geparkeerd|s'arrêter|arrêté|arrêtée|"
    "arrêtés|s'est arrêté|s'est arrêtée|marqué l'arrêt|fait halte|garé|garée|garés|"
    "s'est garé|stationné|stationnée|halt|se detuvo|detenido|detenida|"
    "paró|se paró|hizo una parada|parado|aparcó|aparcado|aparcada|estacionó|"
    "estacionado|estacionada|"
    # vehicles waiting, or in a queue, stand
    "waiting|waited|queue|queued|queueing|queuing|wachtten|wachtte|stonden te wachten|file|"
    "attendaient|attendait|attendre|de la queue|esperaban|esperaba|esperando|cola"
)

# a track's way across the picture (`vigil.tracking.direction_words`) as operators say it:
# "from ... to ..." or the edge of the picture it goes towards ("richting bovenkant",
# "vers la droite"), never "drove down the street" (along it, not down the picture)
_PICTURE = r"(?: of the (?:frame|picture|image|screen|shot))?"
_TOWARDS = {  # the way's end: the edge or side of the picture, in four languages
    "bottom": r"bottom|onderkant|beneden|onderen|le bas|abajo",
    "top": r"top|bovenkant|boven|le haut|arriba",
    "right": r"right|rechterkant|rechts|la droite|la derecha",
    "left": r"left|linkerkant|links|la gauche|la izquierda",
}
_TOWARDS_WORDS = r"towards? the|naar(?: de)?|richting(?: de)?|vers|hacia|para"


def _towards(edge: str) -> str:
    return rf"(?:{_TOWARDS_WORDS}) (?:{_TOWARDS[edge]})(?:{_PICTURE}| in (?:het )?beeld)?"


# "the car heading down", "drove up": on screen (an operator's words for a car crossing);
# "down the street" is along it, "up to the table" to it
_GOING = (
    r"(?:drive|drove|drives|driving|driven|go|went|goes|going|come|came|comes|coming|head|"
    r"heading|headed|heads|"
    r"moving|moved|moves|travell?ing|travell?ed)"
)
_NOT_ALONG = r"(?! to\b| the\b| a\b| an\b| this\b| that\b| our\b| some\b)"
HEADING_WORDS: dict[str, str] = {
    "top to bottom": "(?:the )?top to (?:the )?bottom|down the (?:frame|picture|image|screen)|"
    "van boven naar (?:beneden|onder)|de haut en bas|du haut vers le bas|"
    "de arriba (?:hacia |a )abajo|downwards|" + _GOING + r" down" + _NOT_ALONG + "|naar beneden|"
    "omlaag|descendu(?:e|s|es)?|descendait|baj(?:ó|aba|ando)|" + _towards("bottom"),
    "bottom to top": "(?:the )?bottom to (?:the )?top|up the (?:frame|picture|image|screen)|"
    "van (?:beneden|onder) naar boven|de bas en haut|du bas vers le haut|"
    "de abajo (?:hacia |a )arriba|upwards|" + _GOING + r" up" + _NOT_ALONG + "|naar boven|omhoog|"
    "mont(?:é|ée|és|ées|ait)(?! dans)|sub(?:ió|ía|iendo)(?! a)|" + _towards("top"),
    "left to right": "(?:the )?left to (?:the )?right|"
    "van links(?:onder|boven)? naar rechts(?:onder|boven)?|de gauche à droite|"
    "de la gauche vers la droite|de (?:la )?izquierda (?:hacia |a )(?:la )?derecha|"
    + _towards("right"),
    "right to left": "(?:the )?right to (?:the )?left|"
    "van rechts(?:onder|boven)? naar links(?:onder|boven)?|de droite à gauche|"
    "de la droite vers la gauche|de (?:la )?derecha (?:hacia |a )(?:la )?izquierda|"
    + _towards("left"),
}


WEAR_WORDS: dict[str, str] = {
    "hi-vis vest": "hi-vis|high-visibility|high visibility|safety vest|reflective vest|"
    "veiligheidshesje|veiligheidsvest|hesje|fluohesje|gilet jaune|gilet de sécurité|"
    "gilet fluo|chaleco reflectante|chaleco de seguridad|chaleco fluorescente",
}
# what a person may be seen carrying (the object detector's COCO names) and its words
CARRIED_WORDS: dict[str, str] = {
    "backpack": "backpack|rucksack|rugzak|sac à dos|mochila",
    "handbag": "bag|bags|handbag|shoulder bag|tas|tassen|handtas|schoudertas|sac|sacs|"
    "sac à main|bolso|bolsa|bolsos|bolsas",
    "suitcase": "suitcase|luggage|trolley|koffer|koffers|valise|valises|maleta|maletas",
    "umbrella": "umbrella|paraplu|parapluie|paraguas",
}


@dataclass(frozen=True)
class Unseeable:
    """Something the site's packaged models cannot perceive, said in each site language:
    ``what`` cannot be seen, ``why``."""

    key: str
    what: dict[str, str]
    why: dict[str, str]
    partly: bool = False  # seen sometimes: "cannot tell" only where no frame shows it


# why a question's words that no vocabulary here reads (`agent.understanding.unread_words`)
# name nothing the site's models can see
_NO_WORD_FOR = {
    "English": "none of the site's models has a word for it",
    "Dutch": "geen van de modellen van deze locatie heeft er een woord voor",
    "French": "aucun des modèles du site n'a de mot pour cela",
    "Spanish": "ninguno de los modelos del sitio tiene una palabra para ello",
}


def no_word_for(words: Sequence[str]) -> Unseeable:
    """What a question names in ``words`` that no model of the site has a word for ("a
    married couple", "dronken"), said as what it cannot see, in the question's words."""
    quoted = ", ".join(f'"{word}"' for word in words)
    return Unseeable("unread", dict.fromkeys(_NO_WORD_FOR, quoted), _NO_WORD_FOR)


UNSEEABLE: dict[str, tuple[str, Unseeable]] = {
    "mobility aids": (
        r"wheel ?chairs?|mobility scooters?|crutch(?:es)?|walking frames?|zimmer frames?|"
        r"rollators?|prams?|strollers?|pushchairs?|buggys?|buggies|rolstoel(?:en)?|"
        r"scootmobiel(?:en)?|krukken|looprek|kinderwagens?|wandelwagens?|fauteuils? roulants?|"
        r"béquilles?|déambulateurs?|poussettes?|landaus?|sillas? de ruedas|muletas?|"
        r"andador(?:es)?|carritos? de beb[eé]|cochecitos?",
        Unseeable(
            "mobility aids",
            {"English": "wheelchairs, crutches or prams",
             "Dutch": "rolstoelen, krukken of kinderwagens",
             "French": "de fauteuils roulants, béquilles ni poussettes",
             "Spanish": "sillas de ruedas, muletas ni cochecitos"},
            {"English": "the packaged detector knows none of them: a person in a wheelchair "
             "is seen as a person",
             "Dutch": "de meegeleverde detector kent ze niet: iemand in een rolstoel wordt "
             "als persoon gezien",
             "French": "le détecteur fourni n'en connaît aucun : une personne en fauteuil "
             "est vue comme une personne",
             "Spanish": "el detector incluido no conoce ninguno: una persona en silla de "
             "ruedas se ve como una persona"},
        ),
    ),
    "headwear": (
        r"hard ?hats?|helmets?|safety helmets?|hoofddeksel|helm|helmen|bouwhelm|bouwhelmen|"
        r"veiligheidshelm|veiligheidshelmen|casques?|casque de chantier|cascos?|"
        r"casco de seguridad|masks?|face masks?|face coverings?|masker|maskers|mondkapjes?|"
        r"mondmaskers?|gezichtsmaskers?|masques?|mascarillas?|máscaras?|tapabocas|"
        r"balaclavas?|bivakmuts|cagoules?|pasamontañas|caps?|hats?|petten|hoeden?|"
        r"casquettes?|chapeaux?|bonnets?|gorras?|sombreros?",
        Unseeable(
            "headwear",
            {"English": "helmets, hats or masks", "Dutch": "helmen, petten of maskers",
             "French": "casques, chapeaux ni masques", "Spanish": "cascos, gorras ni máscaras"},
            {"English": "the detector finds people, vehicles and what they carry, not what "
             "is worn on the head",
             "Dutch": "de detector vindt mensen, voertuigen en wat ze dragen in de hand, niet "
             "wat op het hoofd zit",
             "French": "le détecteur trouve des personnes, des véhicules et ce qu'elles "
             "portent à la main, pas ce qui est sur la tête",
             "Spanish": "el detector encuentra personas, vehículos y lo que llevan en la "
             "mano, no lo que llevan en la cabeza"},
        ),
    ),
    "vehicle parts": (
        r"boot|trunk|tailgate|bonnet|hood of the car|car doors?|kofferbak|achterklep|"
        r"motorkap|portier|portieren|coffre|hayon|capot|portières?|maletero|baúl|capó|"
        r"portón trasero|puertas? del coche",
        Unseeable(
            "vehicle parts",
            {"English": "a boot, door or bonnet of a vehicle opening",
             "Dutch": "een kofferbak, portier of motorkap die opengaat",
             "French": "de coffre, de portière ni de capot qui s'ouvre",
             "Spanish": "un maletero, una puerta ni un capó que se abra"},
            {"English": "vehicles are seen as whole moving shapes, not their parts",
             "Dutch": "voertuigen worden als één bewegende vorm gezien, niet hun onderdelen",
             "French": "les véhicules sont vus comme des formes entières, pas leurs parties",
             "Spanish": "los vehículos se ven como formas enteras, no sus partes"},
        ),
    ),
    "doors": (
        r"(?:doors?|gates?|windows?|deur|deuren|poort|raam|ramen|portes?|portail|fenêtres?|"
        r"puertas?|portón|ventanas?)(?:\W+\w+){0,3}?\W+(?:open|opened|opens|closed|shut|"
        r"ajar|opende|opengelaten|dicht|ouverte?s?|fermée?s?|abiert[oa]s?|cerrad[oa]s?)"
        r"|(?:open(?:ed|s)?|close[ds]?|shut|opende|openen|sloot|ouvr(?:e|ir|it)|ferm(?:e|er|a)|"
        r"abri(?:r|ó)|cerr(?:ar|ó))(?:\W+\w+){0,3}?\W+(?:the |de |het |la |le |l')?"
        r"(?:doors?|gates?|windows?|deur|deuren|poort|raam|ramen|portes?|portail|fenêtres?|"
        r"puertas?|portón|ventanas?)"
        # Dutch puts the participle last: "de schuifdeur van dat busje ... opengedaan"
        r"|(?:\w*deur|\w*deuren|poort|raam|ramen|klep|achterklep)(?:\W+\w+){0,8}?\W+"
        r"(?:opengedaan|opengemaakt|opengezet|geopend|dichtgedaan|gesloten|opendeed|opendeden)",
        Unseeable(
            "doors",
            {"English": "doors, gates or windows being opened",
             "Dutch": "deuren, poorten of ramen die opengaan",
             "French": "de portes, portails ni fenêtres qu'on ouvre",
             "Spanish": "puertas, portones ni ventanas que se abran"},
            {"English": "the models see people and vehicles that move, not the state of a door",
             "Dutch": "de modellen zien bewegende mensen en voertuigen, niet of een deur open is",
             "French": "les modèles voient les personnes et véhicules qui bougent, pas l'état "
             "d'une porte",
             "Spanish": "los modelos ven personas y vehículos que se mueven, no si una puerta "
             "está abierta"},
        ),
    ),
    "plates": (
        r"licen[cs]e plates?|number plates?|registration|kenteken|kentekens|nummerplaat|"
        r"plaques? d'immatriculation|immatriculation|matrículas?|placas?",
        Unseeable(
            "plates",
            {"English": "number plates", "Dutch": "kentekens",
             "French": "de plaques d'immatriculation", "Spanish": "matrículas"},
            {"English": "no plate reader is installed", "Dutch": "er is geen kentekenlezer",
             "French": "aucun lecteur de plaques n'est installé",
             "Spanish": "no hay lector de matrículas instalado"},
        ),
    ),
    "identity": (
        r"who (?:is|was) (?:he|she|this person|that(?: man| woman| person| guy)?)\b"
        r"(?! (?:who|that))|"
        r"(?:do you )?know who|works? here|wie (?:is|was) (?:hij|zij|die man|die vrouw)\?|"
        r"weet je wie|werkt (?:die |ze |hij )?hier|qui est-ce|qui c'est|sais-tu qui|"
        r"travaille ici|qui[eé]n es (?:[eé]l|ella)\?|sabes qui[eé]n|trabaja aqu[ií]|"
        r"faces?|identity|identify|recogni[sz]e|how old|age|gender|gezicht|gezichten|"
        r"identiteit|herkennen|leeftijd|hoe oud|geslacht|visages?|identité|identifier|"
        r"reconnaître|quel âge|âge|sexe|cara|caras|rostro|identidad|identificar|reconocer|"
        r"qué edad|edad|género|"
        # a face's features asked for themselves ("was he wearing glasses?"); "the one with
        # glasses" only says who is meant (`POINTING_WORDS`)
        r"(?:wear\w*|wore|ha[sd]|have|droeg|droegen|draagt|dragen|hadden|avai(?:t|ent)|"
        r"porte\w*|portai(?:t|ent)|llevaba|llevaban|lleva|llevan|ten[ií]an?|tienen?) "
        r"(?:\w+ ){0,2}?(?:glasses|specs|sunglasses|beard|moustache|"
        r"bril|zonnebril|baard|snor|lunettes|barbe|gafas|barba|bigote)\b|"
        # what someone is called
        r"(?:his|her|their) name|hoe heet|hoe (?:hij|zij|ze) heet|s'appelle|"
        r"son nom|c[oó]mo se llama(?:ba)?|su nombre|"
        # whose it is: who owns a thing is who someone is
        r"whose|van wie (?:is|zijn|was|waren)|à qui|de qui[eé]n (?:es|son|era|eran)|"
        r"belong(?:s|ed)? to|(?:is|was) it (?:his|hers|theirs)|(?:es|era|son|eran) suy[oa]s?|"
        r"le sien|la sienne|borrowed|geleend|emprunt[ée]e?|prest(?:ó|aron|ado)|"
        # how many of one sex: a count of people by gender is gender inferred
        r"how many (?:men|women|males|females|ladies|gentlemen)|"
        r"hoeveel (?:mannen|vrouwen|heren|dames)|combien (?:d'hommes|de femmes|de dames)|"
        r"cu[aá]nt(?:os hombres|as mujeres|as señoras|os señores)|"
        # which of the site's people someone is: staff or a customer
        r"(?:employee|staff|member of staff|customer|client|visitor|guest)s? or (?:an? )?"
        r"(?:employee|staff|member of staff|customer|client|visitor|guest|passer-by)|"
        r"(?:medewerker|werknemer|personeelslid|klant|bezoeker|gast) of (?:een )?"
        r"(?:medewerker|werknemer|personeel|personeelslid|klant|bezoeker|gast|voorbijganger)|"
        r"(?:employée?|membre du personnel|cliente?|visiteu(?:r|se)) ou (?:une? )?"
        r"(?:employée?|membre du personnel|cliente?|visiteu(?:r|se)|passante?)|"
        r"(?:emplead[oa]|cliente|visitante|trabajador(?:a)?) o (?:una? )?"
        r"(?:emplead[oa]|cliente|visitante|trabajador(?:a)?|transe[uú]nte)",
        Unseeable(
            "identity",
            {"English": "faces, identity, age or gender",
             "Dutch": "gezichten, identiteit, leeftijd of geslacht",
             "French": "de visages, d'identité, d'âge ni de sexe",
             "Spanish": "caras, identidad, edad ni género"},
            {"English": "Vigil describes clothing, posture and actions only (EU AI Act)",
             "Dutch": "Vigil beschrijft alleen kleding, houding en handelingen (EU AI-verordening)",
             "French": "Vigil ne décrit que les vêtements, la posture et les actions (règlement "
             "européen sur l'IA)",
             "Spanish": "Vigil solo describe ropa, postura y acciones (Reglamento europeo de IA)"},
        ),
    ),
    "weapons": (
        r"guns?|pistols?|rifles?|firearms?|weapons?|wapens?|pistool|pistolen|geweer|"
        r"vuurwapens?|armes?|pistolets?|fusils?|armas?|pistolas?|escopetas?",
        Unseeable(
            "weapons",
            {"English": "weapons", "Dutch": "wapens", "French": "d'armes", "Spanish": "armas"},
            {"English": "the packaged detector has no weapon classes",
             "Dutch": "de meegeleverde detector kent geen wapens",
             "French": "le détecteur fourni ne connaît pas les armes",
             "Spanish": "el detector incluido no conoce armas"},
        ),
    ),
    "smoke": (
        r"smok(?:e|ing|ed)|cigarettes?|fire|flames?|roken|rookt|rookte|rook|sigaret|sigaretten|"
        r"brand|vuur|vlammen|fum(?:er|e|ait|ée)|cigarettes?|feu|incendie|flammes?|fumar|"
        r"fuma|fumaba|humo|cigarrillos?|fuego|incendio|(?<!se )(?<!te )(?<!me )llamas?",
        Unseeable(
            "smoke",
            {"English": "smoke, fire or cigarettes", "Dutch": "rook, vuur of sigaretten",
             "French": "de fumée, de feu ni de cigarettes",
             "Spanish": "humo, fuego ni cigarrillos"},
            {"English": "no fire or smoke model is installed and a cigarette is too small",
             "Dutch": "er is geen rook- of brandmodel en een sigaret is te klein",
             "French": "aucun modèle de feu ou de fumée n'est installé et une cigarette est "
             "trop petite",
             "Spanish": "no hay modelo de humo o fuego y un cigarrillo es demasiado pequeño"},
        ),
    ),
    "makes": (
        r"brands?|(?:what|which|the|car|its) (?:makes?|models?)|(?:makes?|models?) of|"
        r"manufacturers?|logos?|merk(?:en)?|fabrikant|marques?|mod[eè]les?|fabricant|"
        r"marcas?|modelos?|fabricante",
        Unseeable(
            "makes",
            {"English": "makes, models or brands", "Dutch": "merken of typen",
             "French": "de marques ni de modèles", "Spanish": "marcas ni modelos"},
            {"English": "the describer tells kinds and colours (a red van), not makes or logos",
             "Dutch": "de beschrijver ziet soorten en kleuren (een rode bestelbus), geen merken",
             "French": "le descripteur voit des genres et des couleurs (une camionnette "
             "rouge), pas des marques",
             "Spanish": "el descriptor ve tipos y colores (una furgoneta roja), no marcas"},
        ),
    ),
    "roles": (
        r"ambulances?|police (?:cars?|vans?|vehicles?)|patrol cars?|fire (?:engines?|trucks?)|"
        r"taxis?|cabs?|politieauto'?s?|politiewagens?|politiebusje|brandweerauto'?s?|"
        r"brandweerwagens?|voitures? de police|fourgons? de police|camions? de pompiers|"
        r"ambulancias?|coches? (?:de policía|patrulla)|patrullas?|camiones? de bomberos|"
        r"camper ?vans?|campers?|motor ?homes?|motorhomes?|caravans?|rvs?|kampeerauto'?s?|"
        r"camping-cars?|caravanes?|autocaravanas?|caravanas?",
        Unseeable(
            "roles",
            {"English": "ambulances, police cars, fire engines, taxis or campers",
             "Dutch": "ambulances, politieauto's, brandweerwagens, taxi's of campers",
             "French": "d'ambulances, voitures de police, camions de pompiers, taxis ni "
             "camping-cars",
             "Spanish": "ambulancias, coches de policía, camiones de bomberos, taxis ni "
             "autocaravanas"},
            {"English": "the describer tells a vehicle's kind and colour (a white van), not "
             "what it is used for",
             "Dutch": "de beschrijver ziet soort en kleur (een witte bestelbus), niet waarvoor "
             "een voertuig dient",
             "French": "le descripteur voit le genre et la couleur (une camionnette blanche), "
             "pas à quoi sert le véhicule",
             "Spanish": "el descriptor ve el tipo y el color (una furgoneta blanca), no para "
             "qué sirve el vehículo"},
        ),
    ),
    "breeds": (
        r"breeds?|rassen|races? de chien|raza|razas",
        Unseeable(
            "breeds",
            {"English": "breeds of animals", "Dutch": "rassen van dieren",
             "French": "de races d'animaux", "Spanish": "razas de animales"},
            {"English": "an animal is seen as an animal at most, not its breed",
             "Dutch": "een dier wordt hooguit als dier gezien, niet zijn ras",
             "French": "un animal est vu comme un animal au mieux, pas sa race",
             "Spanish": "un animal se ve como animal como mucho, no su raza"},
        ),
    ),
    "speech": (
        r"(?:on|into) (?:the|his|her|a) (?:phone|mobile)|phon(?:e|ed|ing)|call(?:ed|ing)? "
        r"(?:someone|somebody)|texting|said|saying|talk(?:ed|ing)? (?:about|to)|"
        r"telefo(?:on|neerde|neren)|belde|bellen|aan de telefoon|zei|zeggen|"
        r"t[ée]l[ée]phon(?:e|ait|er)|au t[ée]l[ée]phone|appel(?:ait|er|le)|a dit|disait|"
        r"tel[ée]fono|m[oó]vil|llamaba|llamando|hablaba|hablando|dijo|dec[ií]a|"
        r"chat(?:ted|ting)?|kletsen|kletste|praatte|praten|bavard\w*|discut\w*|"
        r"charl\w*|convers\w*|"
        r"(?:what|which) language|welke taal|quelle langue|en qu[eé] idioma|qu[eé] idioma",
        Unseeable(
            "speech",
            {"English": "phone calls or what was said", "Dutch": "telefoongesprekken of wat er "
             "gezegd werd", "French": "d'appels ni de paroles",
             "Spanish": "llamadas ni lo que se dijo"},
            {"English": "there is no sound, and a phone in a hand is too small to tell",
             "Dutch": "er is geen geluid, en een telefoon in een hand is te klein",
             "French": "il n'y a pas de son, et un téléphone en main est trop petit",
             "Spanish": "no hay sonido, y un teléfono en la mano es demasiado pequeño"},
        ),
    ),
    "screens": (
        r"(?:what|wat|qu'est-ce|ce qu|qu[eé])\b.{0,40}\b(?:on|op|sur|à|en) (?:the |het |de |"
        r"l'|la |his |her |a )?(?:screens?|monitors?|displays?|scherm|beeldscherm|écran|"
        r"pantalla|laptop|computer|tv|television)",
        Unseeable(
            "screens",
            {"English": "what a screen shows", "Dutch": "schermbeelden",
             "French": "ce qu'affiche un écran", "Spanish": "lo que muestra una pantalla"},
            {"English": "a screen is a few pixels on a camera: the detector names the device, "
             "not what it shows",
             "Dutch": "een scherm is een paar pixels groot: de detector noemt het toestel, "
             "niet wat erop staat",
             "French": "un écran ne fait que quelques pixels: le détecteur nomme l'appareil, "
             "pas ce qu'il affiche",
             "Spanish": "una pantalla ocupa pocos píxeles: el detector nombra el aparato, no lo "
             "que muestra"},
        ),
    ),
    "occupants": (
        r"occupants?|passengers?|who was driving|(?:people|anyone|someone) (?:inside|in) the "
        r"car|inzittenden?|passagiers?|wie reed er|passagers?|qui conduisait|pasajeros?|"
        r"ocupantes?|qui[eé]n conduc[ií]a|(?:behind|at) the wheel|achter (?:het|'t|t) stuur|"
        r"au volant|al volante",
        Unseeable(
            "occupants",
            {"English": "who is inside a vehicle", "Dutch": "inzittenden van voertuigen",
             "French": "qui se trouve dans un véhicule",
             "Spanish": "quién va dentro de un vehículo"},
            {"English": "a vehicle is seen as one moving shape, not through its windows",
             "Dutch": "een voertuig wordt als één bewegende vorm gezien, niet door de ramen",
             "French": "un véhicule est vu comme une forme en mouvement, pas à travers ses "
             "vitres",
             "Spanish": "un vehículo se ve como una forma en movimiento, no a través de sus "
             "ventanillas"},
        ),
    ),
    "sound": (
        r"noises?|sounds? of|fire alarm|alarm bells?|sirens?|gunshots?|shots? fired|"
        r"scream(?:s|ed|ing)?|shout(?:s|ed|ing)?|geluid|lawaai|brandalarm|sirene|schoten|"
        r"geschreeuw|gegil|bruits?|alarme incendie|sirènes?|coups? de feu|cris|criait|"
        r"ruidos?|sonidos?|alarma de incendios|sirenas?|disparos?|gritos?|gritaba|sonaba|"
        r"sonnait|music|muziek|musique|m[uú]sica|car alarms?|autoalarm|alarme de voiture|"
        r"alarma de(?:l)? coche|"
        r"hear|heard|hearing|honk(?:s|ed|ing)?|car horns?|hoor (?:je|jij|u)|"
        r"hoorde (?:je|jij|u|iemand)|gehoord|getoeter|toeter(?:en|de)?|claxon\w*|entend\w*|"
        r"klaxon\w*|o[ií]ste|o[ií]r|se oy[oó]|escuch\w*|bocinas?|bocinazos?|pitidos?",
        Unseeable(
            "sound",
            {"English": "sounds (alarms, shots, voices)",
             "Dutch": "geluiden (alarmen, schoten, stemmen)",
             "French": "de sons (alarmes, coups de feu, voix)",
             "Spanish": "sonidos (alarmas, disparos, voces)"},
            {"English": "the cameras record no sound", "Dutch": "de camera's nemen geen geluid op",
             "French": "les caméras n'enregistrent pas le son",
             "Spanish": "las cámaras no graban sonido"},
        ),
    ),
    "text": (
        r"(?:what(?:'s| is| was)|anything) written|what (?:does|did) (?:it|the \w+) say|"
        r"read (?:the|what)|wat (?:staat|stond) er(?:op| geschreven)|geschreven|"
        r"(?:can you |could you |kun je |tu peux |peux-tu |puedes )(?:read|lezen|lire|leer)|"
        r"badges?|name tags?|naamkaartjes?|naambordjes?|(?:what|which) name|welke naam|"
        r"quel nom|qu[eé] nombre|(?:visitors?|access|entry|security) pass(?:es)?|"
        r"bezoekerspas(?:je)?|toegangspas(?:je)?|badge visiteur|pase de visitante|"
        r"qu'est-ce qui est écrit|c'est écrit|ce qui est écrit|écrit dessus|lire ce|"
        r"qu[eé] (?:pone|pon[ií]a|dice|dec[ií]a)|escrito",
        Unseeable(
            "text",
            {"English": "writing (signs, papers, screens)",
             "Dutch": "tekst (borden, papieren, schermen)",
             "French": "de texte (panneaux, papiers, écrans)",
             "Spanish": "textos (carteles, papeles, pantallas)"},
            {"English": "no text reader is installed and writing is a few pixels tall",
             "Dutch": "er is geen tekstlezer en letters zijn maar een paar pixels hoog",
             "French": "aucun lecteur de texte n'est installé et l'écriture ne fait que "
             "quelques pixels",
             "Spanish": "no hay lector de texto y la escritura mide pocos píxeles"},
        ),
    ),
    "hair": (  # asked for itself: a colour beside hair says who is meant, not this
        r"hair colou?r|colou?r (?:was |is )?(?:of )?(?:his |her |their |the )?hair|"
        r"haarkleur|kleur (?:van |had )?(?:zijn |haar |het |die z'n )?haar(?! \w)|"
        r"couleur (?:de |des |avaient )?(?:ses |ces |les )?cheveux|"
        r"color (?:de |del |tenía |tiene |era )?(?:su |el )?(?:pelo|cabello)|"
        r"hair ?style|haircut|kapsel|coiffure|peinado|corte de pelo|"
        r"hair (?:was )?(?:what|which) colou?r|haar (?:van |in )?welke kleur|"
        r"cheveux (?:de |d')?quelle couleur|(?:pelo|cabello) (?:de )?qu[ée] color",
        Unseeable(
            "hair",
            {"English": "hair colour or style", "Dutch": "haarkleur of kapsel",
             "French": "la couleur ni la coupe des cheveux",
             "Spanish": "el color ni el peinado del pelo"},
            {"English": "the describer names the colours of clothes, not of hair",
             "Dutch": "de beschrijver noemt de kleuren van kleding, niet van haar",
             "French": "le descripteur nomme les couleurs des vêtements, pas des cheveux",
             "Spanish": "el descriptor nombra los colores de la ropa, no del pelo"},
        ),
    ),
    "measures": (
        r"how fast|speed|km/h|kmh|mph|temperature|how (?:hot|cold|warm|heavy)|weigh(?:t|ed|s)?|"
        r"how (?:tall|high|far)|height|(?:what|which) distance|distance (?:between|from|to)|"
        r"in (?:cm|centimet(?:er|re)s?|met(?:er|re)s|inch(?:es)?|feet|ft)|"
        r"hoe (?:snel|hard|warm|koud|zwaar|ver|hoog)|hoe lang is (?:hij|zij|ze)|lengte|"
        r"snelheid|temperatuur|gewicht|afstand|vitesse|à quelle vitesse|température|poids|"
        r"combien pès\w*|combien mesur\w*|quelle (?:taille|hauteur)|mesure-t-(?:il|elle)|"
        r"à quelle distance|velocidad|a qu[eé] velocidad|temperatura|cu[aá]nto pes\w*|"
        r"qu[eé] tan r[aá]pido|cu[aá]nto mide|qu[eé] tan alt[oa]|estatura|qu[eé] altura|"
        r"a qu[eé] distancia",
        Unseeable(
            "measures",
            {"English": "speeds, sizes, distances, temperatures or weights",
             "Dutch": "snelheden, lengtes, afstanden, temperaturen of gewichten",
             "French": "de vitesses, tailles, distances, températures ni poids",
             "Spanish": "velocidades, tamaños, distancias, temperaturas ni pesos"},
            {"English": "a camera measures none of them: there is no calibration, thermometer "
             "or scale", "Dutch": "een camera meet die niet: er is geen kalibratie, "
             "thermometer of weegschaal",
             "French": "une caméra n'en mesure aucun : ni calibrage, ni thermomètre, ni "
             "balance", "Spanish": "una cámara no mide nada de eso: no hay calibración, "
             "termómetro ni báscula"},
        ),
    ),
    "intentions": (
        r"why|what for|what (?:was|is|were) (?:he|she|they) (?:after|up to)|"
        r"what (?:was|is|were) (?:he|she|they) (?:\w+ )?(?:doing )?(?:there|here) for|"
        r"for what reason|purpose|intend\w*|intention|waarom|met welk doel|wat kwam "
        r"(?:hij|zij|ze) doen|wat deed (?:hij|zij|ze) daar|pourquoi|dans quel but|"
        r"qu'est-ce qu'(?:il|elle) (?:venait|voulait|cherchait)|raison|por qu[eé]|para qu[eé]|"
        r"a qu[eé] (?:vino|ven[ií]a)|qu[eé] buscaba|motivo|"
        # where someone was going, or whether for pleasure
        r"(?:going|heading|on (?:his|her|their|the) way) to work|"
        r"(?:taking|going for|out for|on) a (?:walk|stroll)|naar (?:z'n |zijn |haar |het )?werk|"
        r"(?:een )?wandelingetje|(?:al)?l(?:er|ait) au (?:travail|boulot)|"
        r"(?:iba|ir|va) a trabajar|(?:dando|dar) un paseo|de paseo",
        Unseeable(
            "intentions",
            {"English": "why someone did something, or what they meant to do",
             "Dutch": "waarom iemand iets deed, of wat die van plan was",
             "French": "pourquoi quelqu'un a agi, ni ce qu'il comptait faire",
             "Spanish": "por qué alguien hizo algo, ni qué pretendía"},
            {"English": "the cameras show what people do, not why",
             "Dutch": "de camera's tonen wat mensen doen, niet waarom",
             "French": "les caméras montrent ce que font les gens, pas pourquoi",
             "Spanish": "las cámaras muestran lo que hace la gente, no por qué"},
        ),
    ),
    "relationships": (
        r"married|husband|wife|spouse|boyfriend|girlfriend|relatives?|family|"
        r"(?:are|were) they (?:a )?couple|getrouwd|echtgeno(?:ot|te)|"
        r"vriendje|vriendinnetje|familie|familieleden|(?:zijn|waren) ze (?:een )?stel|"
        r"mari[ée]?s?|[ée]pou(?:x|se)|conjoint|copain|copine|famille|"
        r"marido|esposa|esposo|novio|novia|casad[oa]s|familia|parientes",
        Unseeable(
            "relationships",
            {"English": "how people are related (couples, families, friends)",
             "Dutch": "hoe mensen bij elkaar horen (stellen, familie, vrienden)",
             "French": "les liens entre les personnes (couples, familles, amis)",
             "Spanish": "la relación entre personas (parejas, familias, amigos)"},
            {"English": "the cameras show who is near whom, not who they are to each other",
             "Dutch": "de camera's tonen wie bij wie is, niet wat ze voor elkaar zijn",
             "French": "les caméras montrent qui est près de qui, pas ce qu'ils sont l'un "
             "pour l'autre",
             "Spanish": "las cámaras muestran quién está cerca de quién, no qué son entre sí"},
        ),
    ),
    "feelings": (
        r"drunk|intoxicated|angry|upset|happy|sad|nervous|scared|afraid|bored|in a "
        r"(?:bad|good) mood|moods?|dronken|bezopen|boos|kwaad|bang|blij|verdrietig|"
        r"zenuwachtig|chagrijnig|humeur|ivre|saoul|soûl|bourré|en col[èe]re|f[âa]ch[ée]e?|"
        r"triste|nerveux|nerveuse|de (?:mauvaise|bonne) humeur|peur|borrach[oa]|"
        r"enfadad[oa]|nervios[oa]|asustad[oa]|content[oa]|de mal humor|humor|hungry|"
        r"thirsty|tired|honger|dorst|moe|faim|soif|fatigu[ée]e?|hambre|sed|cansad[oa]",
        Unseeable(
            "feelings",
            {"English": "how someone felt (drunk, angry, afraid)",
             "Dutch": "hoe iemand zich voelde (dronken, boos, bang)",
             "French": "l'état de quelqu'un (ivre, en colère, apeuré)",
             "Spanish": "cómo se sentía alguien (borracho, enfadado, asustado)"},
            {"English": "Vigil describes clothing, posture and actions only",
             "Dutch": "Vigil beschrijft alleen kleding, houding en handelingen",
             "French": "Vigil ne décrit que les vêtements, la posture et les actions",
             "Spanish": "Vigil solo describe ropa, postura y acciones"},
        ),
    ),
    "smell": (
        r"smell\w*|smelt|stank|stink\w*|odou?rs?|scent|geur|geuren|ruik\w*|rook (?:het|er)|"
        r"stonk|stinken|sentait|sentir|odeurs?|puait|pue|olor(?:es)?|ol[ií]a|apestaba|hed[ií]a",
        Unseeable(
            "smell",
            {"English": "smells", "Dutch": "geuren", "French": "d'odeurs",
             "Spanish": "olores"},
            {"English": "cameras record pictures only",
             "Dutch": "camera's nemen alleen beelden op",
             "French": "les caméras n'enregistrent que des images",
             "Spanish": "las cámaras solo graban imágenes"},
        ),
    ),
    "contents": (
        # what is in a container, asked with a question word: "what was in the pot",
        # "y avait quoi dans le pot", "wat zat er in die doos", "qué había dentro de la caja"
        r"(?:what|anything|wat|iets|quoi|qu'y|qu'est-ce|qu[eé]|algo)\b[^?.!]{0,30}?"
        r"\b(?:in|inside|dans|en|dentro del?)\s+(?:\w+'|\w+\s+){0,2}?"
        r"(?:pots?|pans?|bags?|box(?:es)?|bins?|jars?|bottles?|cups?|vases?|parcels?|"
        r"packages?|suitcases?|boxes|doos|dozen|tas|tassen|zak|kist|vaas|fles|bak|emmer|"
        r"sacs?|boîtes?|cartons?|colis|bouteilles?|seaux?|caisses?|ollas?|macetas?|bolsas?|"
        r"cajas?|paquetes?|botellas?|jarrones?|cubos?|cestas?|maletas?|"
        # closed furniture and appliances
        r"ovens?|fridges?|refrigerators?|microwaves?|drawers?|cupboards?|cabinets?|lockers?|"
        r"safes?|koelkast|magnetron|lades?|laden|kast|kasten|kluis|four|frigo|micro-ondes|"
        r"tiroirs?|placards?|armoires?|casiers?|coffre-fort|hornos?|neveras?|frigor[ií]ficos?|"
        r"microondas|cajones?|armarios?|taquillas?|caja fuerte)\b",
        Unseeable(
            "contents",
            {"English": "what is inside things (bags, boxes, pots)",
             "Dutch": "wat er in iets zit (tassen, dozen, potten)",
             "French": "ce qu'il y a dans les choses (sacs, boîtes, pots)",
             "Spanish": "lo que hay dentro de las cosas (bolsas, cajas, macetas)"},
            {"English": "a camera sees the outside of things, not what they hold",
             "Dutch": "een camera ziet de buitenkant van dingen, niet wat erin zit",
             "French": "une caméra voit l'extérieur des choses, pas ce qu'elles contiennent",
             "Spanish": "una cámara ve el exterior de las cosas, no lo que contienen"},
        ),
    ),
    "bags": (
        "|".join(CARRIED_WORDS.values()),
        Unseeable(
            "bags",
            {"English": "bags on people walking past",
             "Dutch": "tassen bij mensen die voorbijlopen",
             "French": "de sacs sur les personnes qui passent",
             "Spanish": "bolsas en personas que pasan caminando"},
            {"English": "what a person carries is told only for people standing still",
             "Dutch": "wat iemand draagt wordt alleen gezien bij mensen die stilstaan",
             "French": "ce qu'une personne porte n'est vu que si elle est immobile",
             "Spanish": "lo que lleva una persona solo se ve si está quieta"},
            partly=True,
        ),
    ),
}  # fmt: skip


def plain_words(text: str) -> str:
    """Lower case; accents kept (they tell "rosé" from "rose"), apostrophes unified; Dutch
    "van" that is "of" or "from" and Spanish "van" that is "they go" blanked out."""
    return _NOT_A_VAN.sub("___", _lowered(text))  # as long as "van": offsets into the text hold


def _lowered(text: str) -> str:
    """Lower case, accents kept, apostrophes unified."""
    return unicodedata.normalize("NFC", text.lower().replace("’", "'"))


def _pattern(words: str) -> re.Pattern:
    """Whole words or phrases, the longest alternative first; a group's own alternatives
    ("raised (?:his|her) arms") stay inside it."""
    alternatives, depth, start = [], 0, 0
    for i, char in enumerate(words):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            alternatives.append(words[start:i])
            start = i + 1
    alternatives = sorted([*alternatives, words[start:]], key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])")


_COLOURS = {colour: _pattern(words) for colour, words in COLOUR_WORDS.items()}
_GARMENTS = {part: _pattern(words) for part, words in GARMENT_WORDS.items()}
_POSTURES = {posture: _pattern(words) for posture, words in POSTURE_WORDS.items()}
_STOPPED = _pattern(STOPPED_WORDS)
_VEHICLES = {kind: _pattern(words) for kind, words in VEHICLE_WORDS.items()}
_OBJECTS = {thing: _pattern(words) for thing, words in OBJECT_WORDS.items()}
_HEADINGS = {way: _pattern(words) for way, words in HEADING_WORDS.items()}
_SCENES = {scene: _pattern(words) for scene, words in SCENE_NAMES.items()}
_WEAR = {worn: _pattern(words) for worn, words in WEAR_WORDS.items()}
_CARRIED = {thing: _pattern(words) for thing, words in CARRIED_WORDS.items()}
_UNSEEABLE = {
    key: (re.compile(rf"(?<![\w-])(?:{words})(?![\w-])"), what)
    for key, (words, what) in UNSEEABLE.items()
}
# every word this vocabulary reads, as patterns over `plain_words`: what is left of a
# question once they (and its time, place and question words) are read names what no
# model here has a word for
READ_PATTERNS: tuple[re.Pattern, ...] = (  # phrases first: "voiture de police" is one
    *(pattern for pattern, _ in _UNSEEABLE.values()), *_WEAR.values(), *_HEADINGS.values(),
    *_COLOURS.values(), *_GARMENTS.values(), *_POSTURES.values(), _STOPPED,
    *_VEHICLES.values(), *_OBJECTS.values(), *_SCENES.values(), *_CARRIED.values(),
    _pattern(POINTING_WORDS),
)  # fmt: skip
_JEANS = re.compile(r"(?<![\w-])(?:jeans|spijkerbroek|jean|vaqueros|tejanos|denim)(?![\w-])")
# Dutch "van" before a determiner, a particle ("van te eten"), a day or a number ("van za
# op zo", "van 10 tot 12") is "of" or "from", and Spanish "van" after "se" or before "a"
# ("se van", "van a la mesa") is "they go": neither is a van
_NOT_A_VAN = re.compile(
    r"(?<![\w-])van(?= (?:de|het|een|die|dat|deze|dit|mijn|onze?|hun|zijn|haar|links\w*|"
    r"rechts\w*|boven|onder|beneden|achter|voren|binnen|buiten|hier|daar|te|af|uit|daan|"
    r"tevoren|ma|di|wo|do|vr|za|zo|\w+dag|gister\w*|vandaag|vannacht|[\d.:u]+ tot)\b)"
    r"|(?<=\bse )van\b|(?<=\bya )van\b|(?<=\bno )van\b|(?<=\bque )van\b"
    r"|(?<![\w-])van(?= (?:a|al|hacia|por|con|juntos|juntas|andando|caminando|corriendo)\b)"
)
_THERE_WAS = re.compile(
    r"(?<![\w-])(?:zit|zat|zitten|zaten|staat|stond|staan|stonden|ligt|lag|liggen|lagen) "
    r"er(?![\w-])"
)
NEAR_WORDS = 3  # a colour belongs to a garment this many words away at most
THING_WORDS = 1  # and to a thing or vehicle this near, where no garment is nearer


@dataclass(frozen=True)
class Looks:
    """What words say a person or vehicle looks like: colours by part (upper, lower, body
    (a vehicle's), any (a person "dressed in black")), posture, what is worn or carried."""

    colours: tuple[tuple[str, str], ...] = ()
    garments: tuple[str, ...] = ()  # the garment words as written
    vehicle: str | None = None  # the kind of vehicle (truck, bus, van, motorbike; not "car")
    objects: tuple[str, ...] = ()  # things in the scene with it ("dining table")
    posture: str | None = None
    wearing: tuple[str, ...] = ()
    carrying: tuple[str, ...] = ()
    unseeable: tuple[Unseeable, ...] = field(default=())
    words: str = ""  # the words that said it, as written ("grey cardigan", "assis à table")

    @property
    def said(self) -> bool:
        """Whether the words say anything a frame can be checked by."""
        return bool(self.colours or self.posture or self.wearing or self.carrying or self.vehicle)


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def read_looks(text: str, vehicle: bool = False) -> Looks:
    """What ``text`` (a question or an answer's claim, in a site language) says of how its
    subject looks. A colour next to a garment (within `NEAR_WORDS` words, either side:
    "grey cardigan", "pull gris", "chaqueta de punto gris") is that garment's part's; alone
    ("dressed in black", "vestido de negro"), of the whole person ("any"); of a
    ``vehicle``, its body."""
    plain = plain_words(text)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str]] = []
    for colour, pattern in _COLOURS.items():  # longest names first ("dark grey", "grey")
        for start, end in _spans(pattern, plain):
            if not any(a <= start < b for a, b in taken):
                taken.append((start, end))
                found.append((start, end, colour))
    garments = [
        (start, end, part)
        for part, pattern in _GARMENTS.items()
        for start, end in _spans(pattern, plain)
    ]
    # a thing's own colour ("the little white table", "by the red van") is not a person's
    things = [
        span
        for patterns in ((_OBJECTS, _VEHICLES) if not vehicle else (_OBJECTS,))
        for pattern in patterns.values()
        for span in _spans(pattern, plain)
    ]
    colours: list[tuple[str, str]] = []
    if not vehicle and _JEANS.search(plain):  # jeans are blue trousers, unless said otherwise
        found.append((len(plain), len(plain), "blue@jeans"))  # read last
    for start, end, colour in sorted(found):
        if colour == "blue@jeans":
            if not any(part == "lower" for part, _ in colours):
                colours.append(("lower", "blue"))
            continue
        part = "body" if vehicle else "any"
        if not vehicle:
            near = [
                (min(abs(g_start - end), abs(start - g_end)), g_part)
                for g_start, g_end, g_part in garments
                if _words_between(plain, start, end, g_start, g_end) <= NEAR_WORDS
                # Dutch "haar" before a colour is "her" ("haar rode jas"), after it hair
                and not (plain[g_start:g_end] == "haar" and g_end <= start)
            ]
            owned = [
                min(abs(t_start - end), abs(start - t_end))
                for t_start, t_end in things
                if _words_between(plain, start, end, t_start, t_end) <= THING_WORDS
            ]
            if owned and (not near or min(owned) < min(near)[0]):
                continue
            if near:
                part = min(near)[1]
                part = "any" if part == "whole" else part
        if part != "hair" and (part, colour) not in colours:
            colours.append((part, colour))
    # Dutch "zat er ...?", "stonden er ...?" ask whether something was there, not whether
    # it sat or stood ("zaten er mensen aan tafel?" did sit)
    seated = any(_OBJECTS[seat].search(plain) for seat in SEATS)
    upright = plain if seated else _THERE_WAS.sub(" ", plain)
    posture = next((p for p, pattern in _POSTURES.items() if pattern.search(upright)), None)
    if posture is None and vehicle and _STOPPED.search(upright):
        posture = "standing"
    # "car" is what any vehicle is called: only a named other kind is a look to check
    vehicle = next(
        (k for k, pattern in _VEHICLES.items() if k != "car" and pattern.search(plain)), None
    )
    said = [(a, b) for a, b, _ in found] + [(a, b) for a, b, _ in garments]
    for patterns in (_POSTURES, _WEAR, _CARRIED, _VEHICLES, _OBJECTS):
        said += [span for pattern in patterns.values() for span in _spans(pattern, plain)]
    return Looks(
        colours=tuple(colours),
        garments=tuple(plain[a:b] for a, b, _ in sorted(garments)),
        vehicle=vehicle,
        objects=tuple(t for t, pattern in _OBJECTS.items() if pattern.search(plain)),
        posture=posture,
        wearing=tuple(w for w, pattern in _WEAR.items() if pattern.search(plain)),
        carrying=tuple(c for c, pattern in _CARRIED.items() if pattern.search(plain)),
        unseeable=unseeable_in(text),
        words=_said_words(text, said),
    )


def _said_words(text: str, spans: list[tuple[int, int]]) -> str:
    """The stretch of ``text`` from the first word that said how something looks to the
    last (its matched words alone where that stretch is long)."""
    if not spans:
        return ""
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    stretch = text[start:end]
    if len(stretch.split()) <= 8:
        return stretch
    return " ".join(text[a:b] for a, b in sorted(set(spans)))


def _words_between(text: str, a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    gap = text[a_end:b_start] if a_end <= b_start else text[b_end:a_start]
    return len(gap.split())


def heading_in(text: str) -> str | None:
    """The way across the picture ``text`` asks about ("de arriba hacia abajo": "top to
    bottom"), if it names one; none where it names two ("up or down?" asks which)."""
    plain = _lowered(text)  # "van links naar rechts": "van" is "from" here, as it says
    ways = [way for way, pattern in _HEADINGS.items() if pattern.search(plain)]
    return ways[0] if len(ways) == 1 else None


# words that mean one unseeable thing in one site language only: Dutch "brand" is a fire
FALSE_FRIENDS: dict[tuple[str, str], str] = {
    ("smoke", "brand"): "Dutch",
    ("makes", "brand"): "English",
    ("makes", "brands"): "English",
}


def unseeable_in(text: str) -> tuple[Unseeable, ...]:
    """What ``text`` asks about that the site's models cannot perceive (hi-vis vests are
    seen: "safety vest" is not headwear; a false friend counts in its own language only)."""
    plain = plain_words(text)
    for pattern in _WEAR.values():
        plain = pattern.sub(" ", plain)
    # a thing the detector names is seen, whatever word it holds ("feu tricolore")
    named = [span for pattern in _OBJECTS.values() for span in _spans(pattern, plain)]
    found = []
    for key, (pattern, what) in _UNSEEABLE.items():
        words = {
            m.group(0)
            for m in pattern.finditer(plain)
            if not any(a <= m.start() and m.end() <= b and b - a > len(m[0]) for a, b in named)
        }
        friends = {w: FALSE_FRIENDS[(key, w)] for w in words if (key, w) in FALSE_FRIENDS}
        if friends and words == set(friends):
            language = language_of(text)  # lingua, only where a word is ambiguous
            words = {w for w in words if friends.get(w) in (None, language)}
        if words:
            found.append(what)
    return tuple(found)


# -- comparing with what a frame shows ------------------------------------------------------
def colour_fits(said: str, seen: str | None, exact: bool = False) -> bool | None:
    """Whether a colour seen fits one said, or a neighbour light turns it into (unless
    ``exact``); None: nothing was seen there."""
    if seen is None:
        return None
    return seen == said if exact else seen in NEIGHBOURS.get(said, frozenset({said}))


def looks_fit(
    looks: Looks, detection: Detection, track_postures: Sequence[str] = (), exact: bool = False
) -> bool | None:
    """Whether a detection shows what ``looks`` says: True where every attribute said and
    seen fits, False where one seen contradicts it, None where nothing said was seen
    (a posture is told only for people standing still; a still image has no colours).
    Where this frame tells no posture, the postures its track was seen in
    (``track_postures``) do: one only ever seen standing was not sitting here either.
    ``exact``: colours as said, not their neighbours (`colour_fits`)."""
    verdicts: list[bool] = []
    for part, colour in looks.colours:
        if part == "any" and "upper" in detection.colours:
            # "dressed in black", "en rouge": what the eye takes in first, the top
            verdicts.append(bool(colour_fits(colour, detection.colours["upper"], exact)))
        elif part == "any":
            seen = [bool(colour_fits(colour, c, exact)) for c in detection.colours.values()]
            if seen:
                verdicts.append(any(seen))
        else:
            fit = colour_fits(colour, detection.colours.get(part), exact)
            if fit is not None:
                verdicts.append(fit)
    if looks.posture is not None:
        posture = detection.posture
        moving = detection.motion not in (None, "still")
        if posture is not None:
            verdicts.append(posture == looks.posture)
        elif moving and looks.posture in ("sitting", "lying", "bending"):
            verdicts.append(False)  # walking is upright
        elif track_postures:
            verdicts.append(looks.posture in track_postures)
    for worn in looks.wearing:
        verdicts.append(worn in detection.wearing)
    for thing in looks.carrying:
        if thing in detection.carrying:
            verdicts.append(True)
    if looks.vehicle is not None and detection.label == looks.vehicle:
        verdicts.append(True)  # a label that is not it says little: from above, a car is a "van"
    if not verdicts:
        return None
    return all(verdicts)


VEHICLE_STOPPED_S = 3.0  # a vehicle this long without moving stopped (or parked)


def parked(cls: str, entry: str, exit: str, still_s: float, seconds: float) -> bool:
    """Whether a vehicle stood in one place all the time it was seen, coming in at no
    edge: parked, not passing."""
    return cls == "vehicle" and entry == exit == "inside" and still_s >= seconds - VEHICLE_STOPPED_S


def track_postures(cls: str, still_s: float, attributes: dict) -> tuple[str, ...]:
    """The postures a track was seen in: a person's, most seen first; a vehicle's
    "standing" where it stood still `VEHICLE_STOPPED_S` or longer, else "moving"."""
    if cls == "vehicle":
        return ("standing",) if still_s >= VEHICLE_STOPPED_S else ("moving",)
    return tuple(attributes.get("postures") or ())


def track_fits(
    looks: Looks, attributes: dict, label: str | None = None, exact: bool = False
) -> bool | None:
    """Whether a track's description (`vigil.tracking.TrackIdentity` attributes: colours,
    postures seen, wearing, carrying; its label) shows what ``looks`` says (``exact``: its
    colours as said, `looks_fit`); None where nothing said was seen on it."""
    postures = attributes.get("postures") or []
    seen = Detection(
        "person",
        Box(0, 0, 0, 0),
        1.0,
        label=label,
        colours=dict(attributes.get("colours") or {}),
        carrying=tuple(attributes.get("carrying") or ()),
        wearing=tuple(attributes.get("wearing") or ()),
        posture=looks.posture if looks.posture in postures else (postures[0] if postures else None),
    )
    return looks_fit(looks, seen, exact=exact)


def looks_asked(
    upper: str | None = None,
    lower: str | None = None,
    colour: str | None = None,
    posture: str | None = None,
    vehicle_type: str | None = None,
    of_vehicle: bool = False,
) -> Looks:
    """Looks from a tool call's arguments, each a word in any site language ("grijs",
    "gris", "grey"): the colour of a person's top, of their trousers, of a vehicle (where
    ``of_vehicle``) or of any of a person's clothes, a posture, a kind of vehicle. Unknown
    words are a clear error."""
    colours: list[tuple[str, str]] = []
    any_part = "body" if of_vehicle else "any"
    for part, word in (("upper", upper), ("lower", lower), (any_part, colour)):
        if word:
            named = [c for _, c in read_looks(word).colours]
            if not named:
                raise InvalidInputError(f"{word[:40]!r} is not a colour Vigil knows")
            colours.append((part, named[0]))
    named_posture = None
    if posture:
        named_posture = read_looks(posture, vehicle=of_vehicle).posture
        if named_posture is None:
            raise InvalidInputError(
                f"{posture[:40]!r} is not a posture ({', '.join(POSTURE_WORDS)})"
            )
    vehicle = None
    if vehicle_type:
        said = plain_words(vehicle_type)
        vehicle = next((k for k, p in _VEHICLES.items() if p.search(said)), None)
        if vehicle is None:
            raise InvalidInputError(
                f"{vehicle_type[:40]!r} is not a kind of vehicle ({', '.join(VEHICLE_WORDS)})"
            )
        vehicle = None if vehicle == "car" else vehicle
    return Looks(colours=tuple(colours), posture=named_posture, vehicle=vehicle)


_PART_WORDS = {"upper": "on top", "lower": "below", "body": "", "any": ""}


def looks_words(looks: Looks) -> str:
    """Looks in plain English for a tool's lines ("grey on top, sitting")."""
    parts = [f"{colour} {_PART_WORDS[part]}".strip() for part, colour in looks.colours]
    if looks.posture:
        parts.append(looks.posture)
    if looks.vehicle:
        parts.append(f"a {looks.vehicle}")
    parts += list(looks.wearing) + [f"carrying a {c}" for c in looks.carrying]
    return ", ".join(parts)


def scenes_named(text: str) -> tuple[str, ...]:
    """The kinds of place a question names ("in de kantine": dining area), as the scene
    words cameras are described by."""
    plain = plain_words(text)
    return tuple(scene for scene, pattern in _SCENES.items() if pattern.search(plain))
