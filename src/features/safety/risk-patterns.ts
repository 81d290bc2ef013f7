/**
 * The ways people say they are at risk, and the ways they say something that
 * sounds like it but isn't. Every pattern runs on one normalised clause
 * (lower case, words single-spaced, "i am", "do not", "can not"; see
 * risk-text.ts).
 *
 * `who` says how the pattern knows whose risk it is:
 * - `self`: the words name the writer ("myself", "without me", "if i was gone");
 * - `subject`: the subject of the clause decides ("i am suicidal" but not
 *   "she is suicidal"); a clause with no subject is read as the writer's own.
 * `sure` is false where the words are often meant another way; the member is
 * still offered support, in softer words.
 */
export interface RiskPattern {
  readonly id: string;
  readonly pattern: RegExp;
  readonly who: "self" | "subject";
  readonly sure: boolean;
  /** Voices telling the member to hurt themselves are reported speech that is still their own risk. */
  readonly reportedIsOwn?: boolean;
}

/** Words people put between the verb and what they want: "want to just end it". */
const F =
  "(?:(?:just|really|honestly|actually|seriously|kind of|sort of|literally|so|still|often|sometimes|always|even|truly|genuinely|totally|completely|simply|all|fucking|bloody|effing|quietly|finally|maybe|probably|gonna|go and|properly|like) )*";

const DESIRE =
  "(?:want|wants|wanted|wanting|wish|wished|wishing|would like|would rather|rather|ready|going|plan|planning|planned|intend|intending|tempted|feel like|felt like|feeling like|urges? to|urge|need|needed|hope|hoping|prefer|trying|tried|try|attempt|attempted|about|close|considering|contemplating|decided|deciding|might|could|will|would|should|gotta|got|have|going to try)";

const ENDING =
  "(?:die|be dead(?! (?:meat|tired|keen|set|right|serious|wrong|beat|easy|boring|on|certain|sure|quiet|lucky|last))|not be alive|not be here|not exist|stop existing|cease to exist|end it all|end it|end things|end everything|end my life|end my own life|take my own life|take my life|top myself|ending it all|ending it|ending things|ending everything|ending my life|taking my own life|taking my life|dying|be gone|sleep forever|go to sleep forever|never wake up|not wake up|overdose|hang myself|jump(?=$| off| from| in front))";

const SELF_ACTS =
  "(?:kill|killed|killing|kills|top|topped|topping|hurt|hurting|hurts|harm|harmed|harming|cut|cutting|cuts|burn|burned|burnt|burning|hit|hitting|punch|punched|punching|starve|starved|starving|hang|hanged|hanging|hung|shoot|shot|drown|drowned|drowning|poison|poisoned|poisoning|strangle|strangled|choke|choked|choking|scratch|scratched|scratching|bash|bashed|bashing|injure|injured|injuring|stab|stabbed|stabbing|slit|overdose|overdosed|end)";

const OWN_BODY = "(?:arms?|legs?|wrists?|skin|thighs?|stomach|body)";
const MEANS =
  "(?:meds|pills|tablets|medication|medications|sleeping pills|sleeping tablets|panadol|paracetamol|painkillers|insulin|quetiapine|seroquel|lithium|oxycodone|endone|valium|diazepam|antidepressants|script|scripts|prescription|prescriptions)";
const HOPE_OBJECTS =
  "(?:it all|anything|living|going on|life|me|trying|being here|carrying on|any of (?:it|this)|getting up|waking up|existing|being alive)";

const p = (
  id: string,
  source: string,
  who: RiskPattern["who"],
  sure: boolean,
  extra: Partial<RiskPattern> = {},
) => ({
  id,
  pattern: new RegExp(source),
  who,
  sure,
  ...extra,
});

export const OWN_RISK_PATTERNS: readonly RiskPattern[] = [
  // Wanting to die, to end it, not to wake up.
  p(
    "desire-ending",
    `\\b${DESIRE} ${F}(?:to )?${F}${ENDING}\\b(?! (?:of|from|for (?!real|good)|laughing|inside|a little|with|between|there|early|on a|at the|off|by|before|after|up with))`,
    "subject",
    true,
  ),
  p(
    "desire-disappear",
    `\\b${DESIRE} ${F}(?:to )?${F}(?:disappear|vanish)\\b(?! (?:for (?!good|ever)|to|into|off|under|from|on|at|with|until|till|after|before|when|while|somewhere|overseas|away for))`,
    "subject",
    false,
  ),
  p(
    "wish-dead",
    "\\bwish (?:that )?i (?:was|were|had) (?:dead|gone|never been born|not born|not here|not alive|died)\\b",
    "self",
    true,
  ),
  p("rather-dead", "\\brather (?:be )?(?:dead|die)\\b", "subject", false),
  p("ready-to-die", "\\b(?:ready|prepared) to (?:die|leave this world)\\b$", "subject", false),
  p(
    "not-wake",
    `\\b(?:hope|hoping|wish|pray|praying|want|wanting) (?:that )?i ${F}(?:do not|never|will not|would not|did not) ${F}wake up\\b`,
    "self",
    true,
  ),
  p(
    "if-not-wake",
    "\\b(?:mind|matter|care|fine|okay|ok|good|better|relieved|happy) if i (?:just )?(?:did not|never|do not|would not) wake up\\b|\\bif i (?:just )?(?:did not|never|do not) wake up (?:\\w+ ){0,3}(?:would be|is|will be|that would be|it would be) (?:fine|ok|okay|good|better|a relief|alright|sweet)\\b",
    "self",
    false,
  ),
  p(
    "sleep-no-wake",
    `\\b(?:sleep|go to sleep|fall asleep|close my eyes) ${F}and ${F}(?:not|never) wake(?: up)?\\b`,
    "subject",
    true,
  ),
  p("sleep-forever", "\\b(?:sleep|rest) forever\\b", "subject", false),
  p(
    "not-want-live",
    `\\b(?:do not|did not|never) ${F}want to ${F}(?:live|be alive|exist|wake up|go on|keep living|keep going|be around|be here anymore|be on this earth|be in this world|be here)\\b(?! (?:for|at|in|on|today|when|while|with|during|if|until|tomorrow|this|next))`,
    "subject",
    true,
  ),
  p(
    "unsure-want-live",
    `\\b(?:not sure|do not know|unsure) (?:if |whether |that )?i (?:want to|can) ${F}(?:live|be alive|be here|keep going|go on|exist|carry on|do this anymore)\\b`,
    "self",
    false,
  ),
  p(
    "doubt-can-go-on",
    "\\b(?:do not think|not sure|do not know if|doubt) (?:that )?i can (?:keep going|go on|carry on|keep doing this|do this anymore|keep living|do life|keep doing (?:this )?life)\\b",
    "self",
    false,
  ),
  p("want-to-exist-not", "\\bdo not (?:want to )?exist\\b", "subject", false),

  // Hurting themselves.
  p(
    "self-act",
    `\\b${SELF_ACTS} ${F}myself\\b(?! (?:off|out|short|shaving|cooking|laughing|silly|stupid|to sleep|at the gym|at work|playing|lifting|on (?:a|the|some)|in the kitchen|accidentally|by accident|some slack|a break|up|down|into|with work|with the))`,
    "self",
    true,
  ),
  p(
    "self-act-body",
    `\\b(?:cut|cutting|burn|burned|burnt|burning|scratch|scratched|scratching|hit|hitting|bash|bashing|carve|carved|carving) ${F}(?:my|into my) ${OWN_BODY}\\b`,
    "subject",
    true,
  ),
  p(
    "fresh-cuts",
    `\\bfresh (?:cuts|wounds|burns|scars|marks)\\b|\\b(?:cuts|scars|burns|marks|scratches) on my ${OWN_BODY}\\b|\\bmy ${OWN_BODY} (?:are|is) (?:\\w+ )?(?:covered in|full of|a mess|all cut|cut up|scarred)\\b`,
    "subject",
    true,
  ),
  p(
    "use-on-myself",
    "\\b(?:use|using|used|try|trying) (?:it|them|that|those|the \\w+) on myself\\b",
    "subject",
    true,
  ),
  p("do-to-myself", "\\bwhat i (?:might|could|will|would|am going to) do to myself\\b", "subject", true),
  p("until-bleed", "\\b(?:till|until) (?:they|it|i) (?:bleed|bled|bleeds)\\b", "subject", true),
  p(
    "selfharm-verb",
    "(?<!\\b(?:the|a|an|this|that|his|her|their|of|about|on|after|before|around|re|regarding|any|our|your|with|its|some|whose|prevent|preventing|prevention|against|into|for|\\w+'s) )\\bselfharm(?:ed|ing|s)?\\b(?! (?:policy|policies|training|prevention|course|module|awareness|plan|procedure|assessment|incident|risk|screening|workshop|session|resources?|research|data|statistics|protocol|guidelines|and suicid\\w+ (?:intent|risk|prevention)))",
    "subject",
    true,
  ),
  p(
    "cutting-again",
    "\\b(?:been|started|start|starting|back to|am|relapsed and|and|i|have|had) (?:cut|cutting)\\b(?= again| last| yesterday| today| tonight| this| on the| on (?:mon|tues|wednes|thurs|fri|satur|sun)day|$)",
    "subject",
    true,
  ),
  p(
    "relapse-harm",
    "\\brelaps\\w* (?:on |with |into |back into )?(?:the |my )?(?:selfharm\\w*|cutting|burning)\\b",
    "subject",
    true,
  ),
  p(
    "hit-wall",
    "\\b(?:punch|punched|punching|hit|hitting|bash|bashed|bashing|slam|slammed|slamming|smash|smashed|smashing|bang|banged|banging) (?:my (?:head|fists?|hands?) (?:against|into|on) (?:the |a )?\\w+|(?:the |a )(?:wall|walls|door|mirror))\\b",
    "subject",
    false,
  ),
  p(
    "until-split",
    "\\b(?:till|until) my (?:knuckles|hands|skin|arms|fists|head) (?:split|bled|bleed|bruised|broke)\\b",
    "subject",
    true,
  ),
  p("on-purpose-hurt", "\\b(?:wanted|want|needed|need) (?:it|myself) to hurt\\b", "subject", false),
  p(
    "urges-harm",
    "\\burges? (?:to|of) (?:selfharm|cut|hurt myself|harm myself|kill myself|end it|die|use)\\b",
    "subject",
    true,
  ),

  // Suicide named.
  p(
    "suicidal",
    "\\bsuicidal\\b(?! (?:intent|behaviou?rs?|people|person|persons|patients|clients|consumers|residents|callers|young people|youth|men|women|crisis|risk|presentations?|ideation (?:screening|assessment|training)))",
    "subject",
    true,
  ),
  p(
    "thoughts-of",
    `\\b(?:thoughts|thinking|think|thought|thinks|ideas?) (?:of|about) ${F}(?:suicide|killing myself|ending (?:it|my life|things|it all|everything)|dying(?! (?:my|her|his|the) hair)|not being here|not being alive|jumping|disappearing forever|not waking up|overdosing|hanging myself|hurting myself|harming myself|selfharm\\w*|cutting|taking my (?:own )?life)\\b`,
    "subject",
    true,
  ),
  p(
    "attempt",
    `\\b(?:attempted|attempt|tried|try|trying) ${F}(?:suicide|to kill|to hang|to overdose|to end (?:it|my life|things)|to take my)\\b`,
    "subject",
    true,
  ),
  p("own-attempt", "\\b(?:my|i made an?|i had an?) (?:suicide )?attempt\\b", "self", true),
  p("suicide-note", "\\b(?:suicide|goodbye) (?:note|letter)s?\\b", "subject", true),
  p(
    "took-overdose",
    "\\b(?:took|take|taken|taking|had|have had) an? (?:deliberate |intentional |big |massive )?(?:overdose|od)\\b",
    "subject",
    true,
  ),
  p(
    "took-means",
    `\\b(?:took|swallowed|downed|taken|take|taking|have taken|had taken) (?:\\w+ ){0,4}${MEANS}\\b(?=.*\\b(?:on purpose|deliberately|to (?:die|end it|sleep forever|not wake up)|hoping|all at once|at once|in one go|so i would not)\\b)|\\b(?:took|swallowed|downed|taken|have taken|had taken) (?:a |the )?(?:whole|heaps|lots|bunch|handful|handfuls|packet|box|bottle|load|stack|all|double|triple)(?: of)? (?:\\w+ ){0,2}${MEANS}\\b`,
    "subject",
    true,
  ),
  p(
    "overdosed",
    `\\b(?:overdosed|took (?:a heap|a lot|heaps|too many|all|a bunch|a handful|handfuls|the whole packet|a whole packet|extra) of (?:my |the )?${MEANS})\\b`,
    "subject",
    true,
  ),

  // Being a burden; others better off.
  p(
    "burden",
    "\\b(?:am|feel|felt|feeling|being|such|just|always|only|nothing but) (?:like )?(?:a |such a |just a |nothing but a |the |an absolute |a massive |a huge )?burden\\b",
    "subject",
    true,
  ),
  p(
    "burden-to",
    "\\bburden (?:to|on|for) (?:everyone|everybody|my|them|the|people|others|all)\\b",
    "subject",
    true,
  ),
  p("better-off-dead", "\\bbetter off dead\\b", "subject", true),
  p(
    "better-without-me",
    "\\b(?:better|happier|easier) (?:off )?(?:without me|if i (?:was|were|was not|were not|did not exist|died|disappeared|left for good|was gone|were gone|was not here|was not around|was dead))\\b",
    "self",
    true,
  ),
  p(
    "easier-if-i",
    "\\b(?:easier|better|happier|simpler|lighter|relieved|fine)(?: \\w+){0,6} if i (?:just |simply )?(?:was not|were not|was gone|were gone|was not here|were not here|did not exist|died|was dead|disappeared|vanished|was not around|left for good|was not alive)\\b",
    "self",
    true,
  ),
  p(
    "better-not-here",
    "\\b(?:easier|better) (?:for everyone )?(?:to )?(?:just )?not (?:be here|be around|exist)\\b",
    "subject",
    true,
  ),
  p(
    "nobody-miss",
    "\\b(?:nobody|anyone|anybody|who|no-one|everyone|would anyone|will anyone) (?:would|will|even|really|actually|ever)? ?(?:even )?(?:miss|notice|care|mind) (?:me|if i)\\b",
    "self",
    true,
  ),
  p(
    "relieved-if-i-died",
    "\\b(?:relieved|happier|glad|better) (?:if|when) i (?:died|was dead|was gone|killed myself|was not here)\\b",
    "self",
    true,
  ),
  p(
    "keeping-me-here",
    "\\b(?:only|one) (?:thing|reason|person|one) (?:keeping|that keeps|that is keeping|holding|that holds|stopping) me (?:here|alive|going|around|from)\\b|\\bonly reason i am (?:still )?(?:here|alive|around)\\b",
    "self",
    true,
  ),
  p(
    "fine-without-me",
    "\\b(?:everyone|everybody|they|the world|my family|my kids|the team|people|we|you all|you) (?:would|will) (?:all )?(?:be )?(?:\\w+ ){0,2}without me\\b",
    "self",
    true,
  ),
  p(
    "on-my-mind",
    "\\b(?:suicide|dying|death|ending it|killing myself|ending things|ending my life) (?:is|has been|keeps|is always|is constantly|is never far|keeps coming) (?:\\w+ )?(?:on|in|into|from) my (?:mind|head)\\b",
    "subject",
    true,
  ),
  p(
    "reasons-to-stay",
    "\\b(?:running out of|run out of|no more|out of|have no|have not got any|fewer and fewer) reasons? to (?:stay|live|keep going|be here|carry on|stick around)\\b",
    "subject",
    true,
  ),
  p(
    "something-happened",
    "\\b(?:would be|will be) (?:ok|okay|fine|alright|looked after|taken care of|set)(?: \\w+){0,2} if (?:something (?:happened|happens) to me|i (?:died|was gone|was not here))\\b|\\blife insurance\\b",
    "subject",
    false,
  ),
  p(
    "who-gets-my",
    "\\b(?:sorted|sorting|worked out|decided|deciding|written down|wrote down) (?:out )?who (?:gets|will get|should get|can have|is getting) (?:my|the)\\b",
    "subject",
    false,
  ),
  p(
    "for-after",
    "\\b(?:passwords|bank details|pin numbers|my will|life insurance|funeral)(?: \\w+){0,6} for (?:my )?(?:partner|family|kids|wife|husband|after|when i am gone)\\b|\\bfor after$",
    "subject",
    false,
  ),
  p(
    "not-need-it",
    "\\b(?:will not|would not) need (?:it|them|this|that|my \\w+|any of (?:it|this)) (?:where i am going|anymore|after|soon|much longer)\\b",
    "subject",
    true,
  ),
  p(
    "saying-goodbye-was",
    "\\b(?:it was|that was|this is|this was|was|i was|i am|me) (?:me )?(?:saying )?(?:my )?goodbye\\b(?! (?:to (?:the|my) (?:team|job|role|service|colleagues)|party|card|morning tea|lunch|drinks))",
    "subject",
    false,
  ),
  p(
    "give-away-any",
    "\\b(?:giving|gave|give|given|handing|handed) away (?:all |most |some )?(?:of )?my \\w+",
    "subject",
    true,
  ),
  p(
    "better-off-with",
    "\\b(?:kids|family|children|partner|everyone|they|son|daughter|whanau) would be better off (?:with|without)\\b",
    "subject",
    false,
  ),
  p(
    "letters-just-in-case",
    "\\b(?:writing|wrote|written|write) (?:them|him|her|my kids|my family|everyone|my partner) (?:letters|a letter|notes|a note|goodbye)\\b",
    "subject",
    false,
  ),
  p("when-gone", "\\bwhen i am gone\\b(?! (?:on|for|to|away|overseas))", "self", false),
  p(
    "not-around-long",
    "\\bwill not be (?:around|here|a problem|a burden|bothering anyone|in your way|a bother)(?: for (?:anyone|you|everyone|anybody|you all))?(?: for)? (?:much longer|long|anymore|soon)\\b|\\bwill not be (?:around|here) by (?:christmas|the new year|next week|next month|then|the end of|summer|winter|my birthday)\\b|\\b(?:do not think|doubt) i will be (?:around|here) (?:much longer|for long|long|by|next|to see)\\b|\\bwill not be (?:around|here) (?:for|to see) (?:the next|next|much|long|christmas|the new year|my birthday|the end of)\\b",
    "subject",
    true,
  ),

  // No way forward.
  p("what-point", `\\bwhat is ${F}the point(?: of ${HOPE_OBJECTS})?(?: anymore| then)?$`, "subject", false),
  p("no-point", `\\b(?:no|not any|not much|never any) point (?:in )?${HOPE_OBJECTS}\\b`, "subject", false),
  p(
    "see-no-point",
    `\\b(?:do not|can not|no longer|never) see (?:the|any) point(?: in ${HOPE_OBJECTS})?(?: anymore)?$`,
    "subject",
    false,
  ),
  p(
    "see-no-point-anything",
    `\\b(?:do not|can not|no longer) see (?:the|any) point in ${HOPE_OBJECTS}\\b`,
    "subject",
    false,
  ),
  p(
    "no-way-out",
    "\\bno way out\\b|\\b(?:can not|do not|no longer|could not) see (?:a|any) way (?:out|through|forward)\\b",
    "subject",
    false,
  ),
  p(
    "one-way-out",
    "\\b(?:only|just) (?:see |know |have )?one way out\\b|\\bthe only way out\\b|\\bonly way (?:out|to make it stop)\\b",
    "subject",
    true,
  ),
  p(
    "trapped",
    "\\b(?:am|feel|feeling|felt) (?:so |completely |totally |really )?trapped(?:$| and)",
    "subject",
    false,
  ),
  p("nothing-to-live-for", "\\b(?:nothing|no one|nobody) (?:left )?to live for\\b", "subject", true),
  p(
    "no-reason-live",
    "\\bno reason (?:left )?to (?:live|keep going|go on|be here|stay|keep living)\\b",
    "subject",
    true,
  ),
  p(
    "not-worth-living",
    "\\b(?:life|living|my life|it) (?:is not|is no longer|not|is never|will never be) worth (?:living|it anymore)\\b|\\bnot worth living\\b",
    "subject",
    true,
  ),
  p(
    "no-future",
    "\\b(?:do not|can not|never) see (?:a|any) future(?: for (?:myself|me))?$|\\bno future for me\\b",
    "subject",
    false,
  ),
  p(
    "cannot-go-on",
    `\\bcan not ${F}(?:go on|carry on|keep going|keep doing this|keep living|live like this|live with this|live anymore|keep on)\\b(?! (?:to|with|at|about|leave|holiday|call|shift|camp|a|the|my|working|this job|at this pace|in this job))`,
    "subject",
    false,
  ),
  p(
    "cannot-take-it",
    `\\bcan not ${F}(?:do|take|handle|cope with|stand|bear) (?:this|it|life|any of it)(?: anymore| any longer| for much longer)\\b`,
    "subject",
    false,
  ),
  p(
    "cannot-cope",
    `\\b(?:can not|no longer|not able to) ${F}cope(?: anymore| any longer| with (?:anything|life|living|any of it|it all|everything) ?(?:anymore)?)?$`,
    "subject",
    false,
  ),
  p(
    "done-with-life",
    "\\b(?:am|i) (?:so |completely |totally |just )?(?:done|finished) with (?:everything|life|it all|living|all of it|being alive|this life|the world)\\b",
    "subject",
    true,
  ),
  p("am-done", "\\bi am (?:so |completely |totally |just )?done$", "self", false),
  p(
    "tired-of-living",
    "\\b(?:tired|sick|exhausted|over) of (?:being alive|living|life|existing|everything|it all|being here|this life|waking up)\\b",
    "subject",
    false,
  ),
  p(
    "over-life",
    "\\b(?:am|i) (?:so |just |completely |totally )?over (?:life|living|everything|it all|being alive|existing)$",
    "subject",
    false,
  ),
  p(
    "want-stop",
    `\\b(?:want|need|wish) (?:for )?(?:it all|everything|the pain|all of it|life|all this|the hurting|the thoughts) to ${F}(?:stop|end|be over|go away)\\b`,
    "subject",
    false,
  ),
  p("want-over", "\\bwant (?:it|everything|it all) (?:to be )?over\\b", "subject", false),
  p("want-out", "\\bwant out(?: of (?:life|here|everything|this life|this world))?$", "subject", false),
  p(
    "do-something-stupid",
    "\\b(?:do|doing|did) (?:something|anything) (?:stupid|silly|drastic|dumb)\\b",
    "subject",
    false,
  ),
  p(
    "not-safe",
    "\\b(?:am|feel|feeling|i) not (?:feeling )?safe(?: with myself| right now| tonight| at the moment| around myself| on my own| alone| by myself)*$|\\bnot safe (?:with|around) myself\\b",
    "subject",
    false,
  ),
  p(
    "unsafe-alone",
    "\\b(?:do not|not) (?:feel|feeling|think i am) safe (?:\\w+ ){0,3}(?:with myself|on my own|by myself|alone)\\b",
    "subject",
    true,
  ),
  p(
    "unsafe-feel",
    "\\bdo not (?:feel|think i am) safe(?: with myself| right now| tonight| at the moment| around myself| on my own| alone| by myself)*$",
    "subject",
    false,
  ),
  p(
    "hopeless-worthless",
    "\\b(?:am|feel|feeling|felt) (?:so |completely |totally |utterly )?(?:hopeless|worthless)$",
    "subject",
    false,
  ),

  // Plans and means.
  p(
    "saving-means",
    `\\b(?:saving|saved|stockpiling|stockpiled|hoarding|hoarded|collecting|stashing|stashed|storing|keeping) (?:up )?(?:enough |enough of |some of |a stash of |a stockpile of |a pile of |heaps of )?(?:my |some |all my |the |a few |extra |my old )?${MEANS}\\b`,
    "subject",
    true,
  ),
  p(
    "the-means",
    `\\b(?:have|got|has|keep|kept|bought|found|have got|collected) (?:all )?(?:the |everything i need |what i need )?(?:means|stuff|things|gear|everything)(?: i need)? to do it\\b|\\b(?:have|got|has|keep|kept|bought|found) the means\\b|\\b${MEANS} (?:stashed|saved up|put aside|hidden|stockpiled|squirrelled away)\\b`,
    "subject",
    true,
  ),
  p(
    "got-means",
    `\\b(?:got|have|bought|buy|buying|found|have got|get|getting) (?:the |some |a |my )?(?:rope|noose|blade|razor|razors)\\b(?! (?:for|to tie|at|from the))|\\b(?:${MEANS}|rope|knife|blade) (?:are |is )?(?:ready|sorted|lined up)\\b`,
    "subject",
    true,
  ),
  p(
    "know-how",
    "\\b(?:know|worked out|figured out|decided|planned|planning|plan|thought about|know exactly) (?:exactly )?(?:how|when|where) (?:i would|i will|i am going to|i could|to) (?:do it|end it|go|die|kill myself|end my life)\\b",
    "subject",
    true,
  ),
  p(
    "have-plan",
    "\\b(?:i have|i have got|got|made|worked out|have made|i have worked out|i have made|i made|i worked out) (?:a|the|my) plan$",
    "subject",
    false,
  ),
  p(
    "research-means",
    `\\b(?:looking up|looked up|look up|googled|googling|researching|researched|searching|searched|reading about) (?:up )?(?:ways|how|methods|the best way|the easiest way) to (?:die|kill myself|end it|overdose|end my life|do it)\\b|\\b(?:reading up|read up|reading|researching)(?: online)? (?:about )?how (?:people|to|you|someone) (?:end things|end it|kill themselves|kill yourself|die|do it|overdose|end their lives)\\b|\\bhow (?:many|much) (?:of )?(?:my |the |these |those )?${MEANS} (?:it )?(?:would|will|does it|it would|it will) (?:take|kill)\\b`,
    "subject",
    true,
  ),
  p(
    "jump-from",
    "\\b(?:jump|jumping|jumped|throw myself|throwing myself) (?:off|from|in front of) (?:the |a |that |this )?(?:bridge|cliff|building|roof|balcony|train|car park|overpass|gap|tower|platform|truck|bus)\\b",
    "subject",
    true,
  ),
  p(
    "in-front-of",
    "\\b(?:step|stepping|stepped|walk|walking|walked|lie|lying|throw myself|throwing myself) (?:out )?in front of (?:a |the )?(?:train|truck|bus|car|traffic|road train|ute)\\b",
    "subject",
    true,
  ),
  p(
    "drive-into",
    "\\b(?:driv\\w*|crash\\w*|swerv\\w*|steer\\w*) (?:my car |the car |the ute |off )?(?:into|off|under) (?:a |the )?(?:tree|wall|cliff|pole|bridge|truck|oncoming|road|pylon|river|road train|power pole)\\b",
    "subject",
    true,
  ),
  p(
    "whether-to",
    "\\b(?:deciding|decide|decided|wondering|thinking about|think about|thought about|working out) (?:whether|if) (?:to|i should|i would|i will|i could) (?:jump|end it|do it|die|kill myself|go through with it|take them|take the pills)\\b",
    "subject",
    true,
  ),
  p(
    "high-places",
    "\\b(?:tallest|highest|high) (?:car parks?|buildings?|bridges?|cliffs?|towers?|balconies)\\b|\\bwhich (?:bridge|cliff|building|car park) (?:is )?(?:the )?(?:highest|tallest|best)\\b",
    "subject",
    false,
  ),
  p(
    "engine-running",
    "\\b(?:closed |shut )?garage with the engine running\\b|\\bengine running in the (?:closed |shut )?garage\\b|\\bhose (?:on|to|from) the exhaust\\b",
    "subject",
    true,
  ),
  p(
    "never-come-back",
    "\\b(?:sleep|asleep|go|walk|walking|drive|driving|swim|swimming|wander|wandering|disappear|disappearing|head|heading|go out) (?:\\w+ ){0,4}and (?:never|not) (?:come|coming) back\\b",
    "subject",
    false,
  ),
  p(
    "how-easy",
    "\\bhow easy it (?:would|could) be to (?:just )?(?:step off|jump|end it|die|let go|drive off|crash|not be here|go|stop|disappear|swerve|overdose)\\b",
    "subject",
    true,
  ),
  p("step-off", "\\b(?:step|stepping|jump|jumping|fall|falling) off$", "subject", false),
  p(
    "went-to-edge",
    "\\b(?:went|go|going|drove|driving|walked|walking|been|keep driving|keep going|stopped|stood|sat|parked|stopping|standing|sitting) (?:out |back |down |up )?to (?:the |a )?(?:bridge|cliff|cliffs|gap|tracks|train line|railway|rail line|edge|top of the \\w+)\\b",
    "subject",
    false,
  ),
  p(
    "edge-of",
    "\\b(?:stand|standing|stood|sat|sitting|sit) (?:at|on) the edge of (?:the |a )?(?:cliff|bridge|roof|building|platform|balcony|gap)\\b",
    "subject",
    true,
  ),
  p(
    "goodbye-letters",
    "\\b(?:wrote|written|writing|write) (?:goodbye )?(?:letters?|notes?) to (?:my )?(?:kids|children|family|partner|mum|dad|wife|husband|everyone|loved ones|son|daughter)\\b",
    "subject",
    false,
  ),
  p(
    "giving-away",
    "\\b(?:giving|given|gave|give|handing|handed) (?:away )?(?:all |most |some )?(?:of )?my (?:things|stuff|belongings|possessions|clothes|books|records|guitar|pets?|dog|cat)(?: away)?\\b",
    "subject",
    true,
  ),
  p("saying-goodbyes", "\\b(?:saying|said|say|been saying) (?:my )?goodbyes\\b", "subject", true),
  p(
    "say-goodbye",
    "\\b(?:want|wanted|need|needed|going|just) to say (?:a )?goodbye(?: to (?:everyone|you all|all of you|you|everybody|the group))?\\b(?! (?:at|before|from|on|for))",
    "subject",
    false,
  ),
  p(
    "this-is-goodbye",
    "\\bthis is (?:my )?goodbye\\b|\\bgoodbye (?:everyone|forever|for good)\\b",
    "subject",
    false,
  ),
  p(
    "affairs-in-order",
    "\\b(?:put|putting|sorted|sorting|got|getting) (?:all )?(?:my )?(?:affairs|things|everything|life) in order\\b",
    "subject",
    false,
  ),
  p(
    "wish-hit",
    "\\b(?:wish|hope|pray|want) (?:that )?(?:a |the )?(?:bus|car|truck|train|someone|something|lightning|plane|it|a road train) (?:would|will|to|could) (?:hit|kill|run over|take) me\\b",
    "self",
    true,
  ),

  // Voices telling them to hurt themselves.
  p(
    "voices-back",
    "\\bvoices? (?:are|is) back\\b(?=.*\\b(?:hurt|harm|kill|end|die|cut|jump)\\b)",
    "subject",
    true,
    { reportedIsOwn: true },
  ),
  p(
    "voices",
    "\\bvoices? (?:are |is |keep |keeps |have been |has been |keep on |always )?(?:telling|tell|tells|told|saying|say|says|said|ordering|order|orders|commanding|command|commands|urging|urge|want|wants|wanting) (?:me )?(?:to |that i should |i should |i must |i need to |i have to |i deserve to |me to )?(?:hurt|harm|kill|end|die|cut|jump|selfharm|do it|burn|hang|stop living)\\b",
    "subject",
    true,
    { reportedIsOwn: true },
  ),
];

/**
 * Figures of speech and hyperbole: a match inside one of these spans is not
 * the member's risk ("so boring I wanted to die", "dying for a coffee").
 */
export const FIGURES_OF_SPEECH: readonly RegExp[] = [
  /\b(?:die|died|dying|dead) (?:of|from) (?:embarrassment|shame|laughter|laughing|boredom|cringe|heat|the heat|cold|the cold|hunger|thirst|curiosity|envy|happiness|excitement|jealousy|suspense|old age)\b/,
  /\b(?:dying|die|died) (?:to|for) (?!real\b|good\b|(?:a |the )?(?:reason|cause)\b)/,
  /\bso \w+(?: and \w+)?(?: that)? i (?:wanted|want|could|would|was going|thought i would|thought i was going) to (?:die|disappear|cry|scream|vanish)\b/,
  /\b(?:boring|bored|embarrass\w*|awkward|cringe\w*|mortif\w*|humiliat\w*|tedious|long|painful) (?:\w+ ){0,6}(?:wanted|want|could) (?:to )?(?:just )?(?:die|disappear|vanish)\b/,
  /\b(?:wanted|want|wish|wished) (?:the ground|the floor|the earth) to (?:swallow|open)\b/,
  /\b(?:could|would|might) (?:just |have )?(?:die|died) (?:of|if|when|right there|on the spot)\b/,
  /\b(?:died|dying|die|dead|kill myself|killing myself) laughing\b|\blaugh\w* (?:\w+ ){0,3}(?:died|dying|to death)\b/,
  /\b(?:died|die|dying) (?:a little |a bit )?inside\b/,
  /\b(?:hurt|hurting|pinch|pinched|kick|kicked|slap|slapped) myself (?:for|because i (?:forgot|missed)|when i (?:forgot|realised|saw))\b/,
];

/** Words that turn what follows them around ("not suicidal", "never hurt myself"). */
export const NEGATORS = new Set(["not", "never", "no", "nah", "nope", "without", "hardly", "nor"]);
/** A negator followed by one of these is not negating the risk ("can not stop thinking about..."). */
export const NOT_NEGATING_NEXT = new Set([
  "stop",
  "help",
  "sure",
  "know",
  "think",
  "believe",
  "reckon",
  "shake",
  "tell",
  "talk",
  "just",
  "only",
  "understand",
  "idea",
  "mind",
  "wait",
  "even",
  "sleep",
  "anymore",
]);

/** Risk told as part of a history the member has moved on from. */
export const HISTORY =
  /\b(?:(?:\d+|a few|few|many|several|two|three|four|five|six|seven|eight|nine|ten|twenty|fifteen|a couple of|couple of|some|so many) years? ago|years ago|decades? ago|(?:a )?long (?:time )?ago|in my (?:teens|twenties|thirties|forties|youth|early \w+|late \w+|younger (?:days|years)|teenage years|uni days)|as a (?:teen|teenager|kid|child|young (?:person|woman|man|adult|fella)|student|uni student|youngster|young one)|when i was (?:younger|a teen|a teenager|a kid|a child|little|\d+|in (?:my|high) \w+|at (?:school|uni|high school)|unwell|in hospital|sick|young|first unwell|at my worst|in my \w+|really unwell)|back (?:then|when|in the day|in (?:19|20)\d\d)|used to|in (?:19\d\d|20[01]\d|202[0-4])|(?:until|till|since|by|before) (?:about |around )?(?:19\d\d|20[01]\d|202[0-4])|in the past|my (?:story|history)|past (?:suicide |selfharm )?attempts?|my past|in my (?:own )?recovery|lived experience|(?:\d+|\w+) years? (?:since|clean|free)|since (?:uni|school|high school|my teens|i was \w+)|remember (?:when|feeling|being|wanting)|there was a time|at (?:that|the) time|my (?:last|previous|first) admission|a different person then|those days|once upon|in (?:over )?(?:\d+|\w+ )?years|(?:ten|twenty|\d+) years|(?:over |more than |nearly |almost |about )?a decade|decades?|at uni|at school|in high school|(?:a )?different (?:lifetime|life|person)|another lifetime|a lifetime ago|a past life|ages since|years since)\b/;

/** After a match, these bring it back to now, despite a history marker earlier in the clause. */
export const BACK_TO_NOW =
  /\b(?:again|still|lately|recently|these days|right now|at the moment|tonight|(?:is|are|has|have) (?:come )?back)\b/;

/** Said straight after the risk, these deny it: "selfharm is not something i have done". */
export const NEGATED_AFTER =
  /^(?:\w+ ){0,2}?(?:is not|was not|are not|were not|has not been|have not been) (?:something|anything|what|how|an option|happening|on the cards|on the table|a thing)\b|^not anymore$|^not any ?more$|^not now$|^not these days$|^(?:and |but )?(?:i am|i was|i have|i do|i have not|i did) not$/;

/** A clause that opens by denying what follows: "not once this month have i thought about...". */
export const NEGATED_CLAUSE =
  /^(?:not once|never once|at no point|not one time|not for a second|not at all)\b/;

/** Someone else's words: the risk after these belongs to whoever spoke. */
export const SPEECH_VERBS = new Set([
  "said",
  "says",
  "saying",
  "say",
  "told",
  "tells",
  "telling",
  "asked",
  "asks",
  "asking",
  "mentioned",
  "mentions",
  "texted",
  "texts",
  "wrote",
  "writes",
  "explained",
  "shouted",
  "yelled",
  "screamed",
  "messaged",
  "admitted",
  "disclosed",
  "reported",
  "stated",
  "whispered",
  "cried",
  "posted",
  "emailed",
  "rang",
  "called",
  "goes",
  "went",
  "played",
  "playing",
  "acted",
]);

/** Before a speech verb, these say the speaker is someone else: "i was asked", "i got told". */
export const PASSIVE_BEFORE_SPEECH = new Set([
  "been",
  "was",
  "were",
  "being",
  "get",
  "got",
  "gets",
  "am",
  "is",
]);

/** Subjects that make a clause about someone else. */
export const OTHER_SUBJECTS = new Set([
  "he",
  "she",
  "they",
  "him",
  "her",
  "them",
  "his",
  "their",
  "hers",
  "you",
  "your",
  "we",
  "our",
  "us",
  "someone",
  "somebody",
  "anyone",
  "anybody",
  "people",
  "person",
  "resident",
  "residents",
  "client",
  "clients",
  "consumer",
  "consumers",
  "participant",
  "participants",
  "patient",
  "patients",
  "guy",
  "guys",
  "man",
  "men",
  "woman",
  "women",
  "kid",
  "kids",
  "son",
  "daughter",
  "friend",
  "friends",
  "mate",
  "colleague",
  "colleagues",
  "mum",
  "dad",
  "mother",
  "father",
  "brother",
  "sister",
  "partner",
  "husband",
  "wife",
  "fella",
  "bloke",
  "girl",
  "boy",
  "teen",
  "teenager",
  "lady",
  "lad",
  "who",
  "carer",
  "carers",
  "family",
  "nurse",
  "doctor",
  "gp",
  "psych",
  "worker",
  "workers",
  "youth",
  "child",
  "children",
  "member",
  "members",
  "group",
  "team",
  "speaker",
  "author",
  "poem",
  "song",
  "book",
  "character",
  "student",
  "students",
  "coworker",
  "manager",
  "boss",
  "uncle",
  "aunty",
  "auntie",
  "cousin",
  "nan",
  "koro",
  "kuia",
  "whanau",
  "whānau",
  "rangatahi",
  "tamariki",
  "individual",
  "gentleman",
  "everyone",
  "everybody",
  "supervisor",
  "clinician",
  "counsellor",
  "psychologist",
  "psychiatrist",
  "coordinator",
  "staff",
  "kaimahi",
  "whaiora",
  "tangata",
  "caller",
  "callers",
]);

export const FIRST_PERSON = new Set(["i", "me", "my", "myself", "mine"]);

/**
 * "the person i support", "a young woman we work with": the "i" there is not
 * the subject of what follows. These are cut before the subject is looked for.
 */
/** "i am the one who wants to die": the "who" is the member. */
export const SELF_RELATIVE = /\bi am the (?:one|person) (?:who|that)\b/g;

export const RELATIVE_CLAUSE =
  /\b(person|people|participant|participants|resident|residents|client|clients|consumer|consumers|patient|patients|guy|guys|man|woman|kid|kids|young person|young people|young fella|fella|bloke|girl|boy|lady|one|someone|teen|youth|member|family|individual|gentleman|student|rangatahi) (?:that |who |whom )?(?:i|we) (?:have been |am |are |used to |have )?(?:work with|worked with|working with|support|supported|supporting|visit|visited|visiting|see|saw|seeing|know|knew|care for|cared for|look after|looked after|looking after|mentor|mentored|sat with|spoke with|spoke to|talked with|talked to|met|meet|help|helped|helping|have|had|case manage|walk with|walked with)\b/g;
