/**
 * Vicarious distress: the member is shaken by someone else's crisis, or worn
 * down by the work itself. Runs on normalised clauses (see risk-text.ts) once
 * own risk has been ruled out.
 */

/** Worn down by the work, whatever happened. */
const WORN_DOWN =
  /\b(?:burnt out|burned out|burn ?out|running on (?:empty|fumes)|compassion fatigue|(?:emotionally |completely |so |totally |really |absolutely )drained|i am drained|feel drained|worn (?:down|out|thin)|wearing me (?:down|out|thin)|grinding me down|nothing left to give|nothing left in the tank|can not switch off|could not switch off|taking (?:it|them|people's \w+|work|everything|their \w+|it all) home|carrying (?:so much|a lot|all of it)|(?:carrying|soaking up|absorbing|taking on|holding|sponging up|full of) (?:all )?(?:of )?(?:everyone's|everybody's|other people's|people's|their|all the|all their|space for)|head is full of|(?:nowhere|no where|do not know where) to put (?:it|them|all)|follow(?:ing|s)? me home|overwhelmed by|dread(?:ing|ed)? (?:every|each|going|my next|work|the next|coming in|my shifts?|tomorrow|shifts?|the phone)|exhausted (?:from|by|after)|tired all the time|(?:secondary|vicarious) trauma|so much crisis|crisis after crisis|too much (?:crisis|trauma|sadness)|can not do this job|at the end of my tether|stretched too thin|wrung out|emotionally (?:exhausted|spent|cooked|fried|done|flat|empty)|weigh(?:s|ing)? (?:on|me down)|(?:starting|started) to weigh)\b/;

/** The member says it has stayed with them. */
const AFFECTED =
  /\b(?:keep|kept|keeps) (?:thinking|replaying|picturing|seeing|going back to|hearing)\b|\bbeen (?:thinking about (?:it|her|him|them|that|what)|replaying|picturing)\b|\b(?:can|could) not (?:stop|get) (?:thinking|picturing|replaying|crying|shaking|seeing|hearing|it out of my head)|\b(?:able to|could not|can not) stop (?:thinking|picturing|replaying|crying|shaking)|\b(?:can|could) not (?:sleep|shake it|get it out)|\b(?:not|have not been|have not|had not) (?:sleeping|slept|able to sleep|been sleeping)|\bnightmares\b|\b(?:had|having|have) (?:a )?nightmares?\b|\b(?:shaken|shaky|shaking|rattled|haunted|numb|hollow|gutted|devastated|heartbroken|traumati[sz]ed|wrecked|shattered)\b|\b(?:hit|hits|hitting|got to|gets to|getting to|affected|affects|affecting|upset|upsets|triggered|triggers|unsettled|shook|knocked|floored|rocked|gutted|stayed with|stays with|haunts|haunting) me\b|\bunder my skin\b|\b(?:able to|can not|could not|cannot) shake (?:it|that|the)\b|\bmissed the signs\b|\bwhat if i had\b|\bstill with me\b|\b(?:i|me) (?:have |have been |had )?(?:feel|felt|am|was|been|feeling) (?:really |so |quite |pretty |a bit |very |completely |totally |still )?(?:sick|upset|anxious|triggered|unsettled|rattled|shaken|awful|terrible|guilty|lost|overwhelmed|teary|raw|fragile|shocked)\b|(?<!\b(?:he|she|they|client|resident|participant|consumer|person|man|woman|kid|mum|dad|whaiora|someone|who|family|son|daughter|partner|guy|girl|boy)(?: (?:was|were|is|are|started|kept|burst|had been|has been|been|called|came in|rang|turned up|got|went))* )\b(?:cried|crying|in tears)\b|\bstruggling\b|\bnot coping\b|\bbrought (?:up|back)\b|\bwondering if i (?:missed|could have|should have)\b|\b(?:is|was|felt|so|really) heavy\b|\bsick to my stomach\b|\bgrieving\b|\bknocked me around\b|\bmy own stuff\b|\breplay(?:ing|ed|s)? (?:it|that|the|what)\b|\bevery time i close my eyes\b|\b(?:in|into) my dreams\b|\bdream(?:s|ing|t)? about\b|\b(?:scared|terrified|on edge|worried sick|jumpy|hypervigilant)\b|\b(?:can|could) not (?:focus|concentrate)\b|\bkeep checking\b|(?<!\b(?:he|she|they|client|resident|participant|consumer|person|man|woman|kid|mum|dad|whaiora|someone|who|family|son|daughter|partner|guy|girl|boy)(?: (?:was|were|is|are|started|kept|burst|had been|has been|been|called|came in|rang|turned up|got|went))* )\b(?:teary|tearful)\b/;

/** Someone else's crisis. */
const SOMEONE_ELSES_CRISIS =
  /\b(?:selfharm\w*|cut (?:himself|herself|themselves)|suicid\w*|overdos\w*|attempt\w*|died|die|dying|passed away|passed|death(?! of (?:me|us|our|the|my|him|her|them))|deaths|hang\w*|incident|restraint|restrained|ambulance|police|crisis|hospital\w*|inquest|coronial|unwell|relapse\w*|code (?:grey|black)|assault\w*|abuse\w*|lost (?:a|one of|our)|end (?:her|his|their) life|kill (?:himself|herself|themselves)|missing|funeral|tangi|bad news|debrief)\b/;

/** The member's work and the people in it. */
const AT_WORK =
  /\b(?:shift|shifts|work|job|unit|ward|client|clients|resident|residents|participant|participants|consumer|consumers|young person|young people|people i support|person i support|caseload|debrief|community|her story|his story|their story|tangata whaiora|whaiora|stories|someone|he|she|they|him|her|them)\b/;

/** True when what the member wrote (own clauses only) shows vicarious distress. */
export function isVicarious(clauses: readonly string[]): boolean {
  const text = clauses.join(" , ");
  if (WORN_DOWN.test(text)) return true;
  return AFFECTED.test(text) && (SOMEONE_ELSES_CRISIS.test(text) || AT_WORK.test(text));
}
