"""Stop words for the network's working languages (compact lists of function words).

Arabic entries are written already normalised (see text.normalise_arabic) so they compare
against normalised tokens.
"""

ENGLISH = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before
being below between both but by can cannot could did do does doing down during each either else
etc few for from further had has have having he her here hers herself him himself his how however
i if in into is it its itself just let may me might more most must my myself no nor not now of off
on once only or other ought our ours ourselves out over own per same shall she should so some
such than that the their theirs them themselves then there these they this those through thus to
too under until up upon us very via was we were what when where whether which while who whom why
will with within without would yet you your yours yourself yourselves including based using used
use well across among amongst one two three also new many much several e g i.e eg ie
""".split())

FRENCH = frozenset("""
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me
meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi
ton tu un une vos votre vous c d j l m n s t y ete etre avoir sont est ont fait cette cet comme
plus sans sous entre aussi ainsi dont tres afin lors selon chez vers pendant depuis car donc or ni
""".split())

SPANISH = frozenset("""
a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el
ella ellas ellos en entre era es esa esas ese eso esos esta estas este esto estos fue ha han hasta
la las le les lo los mas me mi mis mucho muy ni no nos o os otra otras otro otros para pero poco
por porque que quien se ser si sin sobre su sus tambien te tiene tu un una unas uno unos y ya asi
segun tras hacia cada
""".split())

ARABIC = frozenset("""
في من الي علي عن مع هذا هذه ذلك تلك الذي التي الذين اللذين اللتين اللواتي و او ثم ان انه انها
كان كانت يكون تكون لا لم لن ما ماذا متي اين كيف هل قد لقد كل بعض غير بين عند حتي اذا اذ لدي
لدى به بها له لها لهم هو هي هم هن نحن انا انت انتم كما ايضا حيث اي الا بل لكن منذ خلال ضمن
علي عليه عليها فيه فيها منه منها الى على فى ذات نحو وفق او و ب ل ف ك عبر حول دون بدون اثناء تجاه
""".split())

BY_LANGUAGE = {"en": ENGLISH, "fr": FRENCH, "es": SPANISH, "ar": ARABIC}
ALL = frozenset().union(*BY_LANGUAGE.values())
# Latin-script languages are told apart by which stop list a text uses most.
LATIN_MARKERS = {
    "en": ENGLISH - FRENCH - SPANISH,
    "fr": FRENCH - ENGLISH - SPANISH,
    "es": SPANISH - ENGLISH - FRENCH,
}
