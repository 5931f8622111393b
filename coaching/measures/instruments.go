package measures

import "strconv"

// The registry's entries, one function each. The wording is verbatim from
// the instruments' free forms (docs/coaching.md, "Measures"), without the
// full stops a printed list puts after each item; the intros are our own
// words around the stems. Scoring, bands, cut-offs and codes are as that
// section gives them.

// Stems, read just before the first item.
const (
	phqStem   = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
	gadStem   = "Over the last 2 weeks, how often have you been bothered by the following problems?"
	semcdStem = "How confident are you that you can"
)

// howOftenIntro is our own lead-in to a PHQ or GAD screen of n items.
func howOftenIntro(n string, stem string) string {
	return "I'd like to ask you " + n + " questions about how you have been feeling. " +
		"For each one, tell me which answer fits best: not at all, several days, " +
		"more than half the days, or nearly every day. " +
		"If there is one you would rather not answer, just say so. " + stem
}

// howOften are the PHQ and GAD answers, 0-3, with their LOINC answer codes.
func howOften() []Option {
	return []Option{
		{0, "Not at all", "LA6568-5"},
		{1, "Several days", "LA6569-3"},
		{2, "More than half the days", "LA6570-1"},
		{3, "Nearly every day", "LA6571-9"},
	}
}

// closingQuestion is asked after the PHQ-9 and GAD-7, in words that suit a
// call (the paper form says "if you checked off any problems").
const closingQuestion = "If you have had any of these problems, how difficult have they made it " +
	"for you to do your work, take care of things at home, or get along with other people?"

func closingOptions() []Option {
	return []Option{
		{Value: 0, Label: "Not difficult at all"},
		{Value: 1, Label: "Somewhat difficult"},
		{Value: 2, Label: "Very difficult"},
		{Value: 3, Label: "Extremely difficult"},
	}
}

// phq9Items carry the item LOINC codes of LOINC's PHQ-9 panel (44249-1);
// docs/coaching.md ("Codes") says where they were checked.
func phq9Items() []Item {
	return []Item{
		{1, "Little interest or pleasure in doing things", "44250-9"},
		{2, "Feeling down, depressed, or hopeless", "44255-8"},
		{3, "Trouble falling or staying asleep, or sleeping too much", "44259-0"},
		{4, "Feeling tired or having little energy", "44254-1"},
		{5, "Poor appetite or overeating", "44251-7"},
		{6, "Feeling bad about yourself — or that you are a failure or have let yourself or your family down", "44258-2"},
		{7, "Trouble concentrating on things, such as reading the newspaper or watching television", "44252-5"},
		{8, "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual", "44253-3"},
		{9, "Thoughts that you would be better off dead or of hurting yourself in some way", "44260-8"},
	}
}

// gad7Items carry the item LOINC codes of LOINC's PHQ-SADS panel
// (69729-2), which holds the GAD-7 items; docs/coaching.md ("Codes") says
// where they were checked. Copies of the form differ in commas; this
// follows docs/coaching.md.
func gad7Items() []Item {
	return []Item{
		{1, "Feeling nervous, anxious or on edge", "69725-0"},
		{2, "Not being able to stop or control worrying", "68509-9"},
		{3, "Worrying too much about different things", "69733-4"},
		{4, "Trouble relaxing", "69734-2"},
		{5, "Being so restless that it is hard to sit still", "69735-9"},
		{6, "Becoming easily annoyed or irritable", "69689-8"},
		{7, "Feeling afraid as if something awful might happen", "69736-7"},
	}
}

func phq9() Instrument {
	return Instrument{
		ID: PHQ9, Name: "PHQ-9", Title: "Depression screen (PHQ-9)",
		Intro:   howOftenIntro("nine", phqStem),
		Options: howOften(), Items: phq9Items(),
		Free: true, ClinicalFollowUp: true,
		Scoring: Scoring{Method: Sum},
		Bands: []Band{
			{4, "minimal"}, {9, "mild"}, {14, "moderate"}, {19, "moderately severe"}, {27, "severe"},
		},
		ReferAt:    10,
		Safety:     SafetyItem{Number: 9, About: "thoughts of being better off dead or of self-harm", Trigger: TriggerPHQ9Item9},
		TotalLOINC: "44261-6", PanelLOINC: "44249-1",
		Closing: closingQuestion, ClosingOptions: closingOptions(),
	}
}

// phq2 is the first two items of the PHQ-9.
func phq2() Instrument {
	return Instrument{
		ID: PHQ2, Name: "PHQ-2", Title: "Depression screen, two questions (PHQ-2)",
		Intro:   howOftenIntro("two", phqStem),
		Options: howOften(), Items: phq9Items()[:2],
		Free: true, ClinicalFollowUp: true,
		Scoring:    Scoring{Method: Sum},
		PositiveAt: 3, StepUp: PHQ9,
		TotalLOINC: "55758-7", PanelLOINC: "55757-9",
	}
}

func gad7() Instrument {
	return Instrument{
		ID: GAD7, Name: "GAD-7", Title: "Anxiety screen (GAD-7)",
		Intro:   howOftenIntro("seven", gadStem),
		Options: howOften(), Items: gad7Items(),
		Free: true, ClinicalFollowUp: true,
		Scoring: Scoring{Method: Sum},
		Bands: []Band{
			{4, "minimal"}, {9, "mild"}, {14, "moderate"}, {21, "severe"},
		},
		ReferAt:    10,
		TotalLOINC: "70274-6", PanelLOINC: "69737-5",
		Closing: closingQuestion, ClosingOptions: closingOptions(),
	}
}

// gad2 is the first two items of the GAD-7, with their item codes. No
// LOINC panel or total score for the GAD-2 could be confirmed
// (docs/coaching.md, "Codes"), so it has none here.
func gad2() Instrument {
	return Instrument{
		ID: GAD2, Name: "GAD-2", Title: "Anxiety screen, two questions (GAD-2)",
		Intro:   howOftenIntro("two", gadStem),
		Options: howOften(), Items: gad7Items()[:2],
		Free: true, ClinicalFollowUp: true,
		Scoring:    Scoring{Method: Sum},
		PositiveAt: 3, StepUp: GAD7,
	}
}

// semcd6 is the Stanford Self-Efficacy for Managing Chronic Disease 6-item
// scale. The person answers with a number, so the options are labelled with
// it, and the two ends with their anchors. Its LOINC codes are unverified,
// so it has none here.
func semcd6() Instrument {
	opts := make([]Option, 0, 10)
	for v := 1; v <= 10; v++ {
		label := strconv.Itoa(v)
		switch v {
		case 1:
			label += " not at all confident"
		case 10:
			label += " totally confident"
		}
		opts = append(opts, Option{Value: v, Label: label})
	}
	tasks := []string{
		"keep the fatigue caused by your disease from interfering with the things you want to do?",
		"keep the physical discomfort or pain of your disease from interfering with the things you want to do?",
		"keep the emotional distress caused by your disease from interfering with the things you want to do?",
		"keep any other symptoms or health problems you have from interfering with the things you want to do?",
		"do the different tasks and activities needed to manage your health condition so as to reduce your need to see a doctor?",
		"do things other than just taking medication to reduce how much your illness affects your everyday life?",
	}
	items := make([]Item, len(tasks))
	for i, t := range tasks {
		items[i] = Item{Number: i + 1, Text: semcdStem + " " + t}
	}
	return Instrument{
		ID: SEMCD6, Name: "SEMCD-6", Title: "Confidence in managing a long-term condition (SEMCD-6)",
		Intro: "I'd like to ask you six questions about how confident you are, right now, that you can " +
			"do some things regularly to manage your health. For each one, give me a number " +
			"from 1 to 10, where 1 is not at all confident and 10 is totally confident. " +
			"If there is one you would rather not answer, just say so.",
		Options: opts, Items: items,
		Free: true,
		// The source gives no bands; higher is more confident.
		Scoring: Scoring{Method: Mean, MinAnswered: 4},
	}
}
