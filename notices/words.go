package notices

import (
	"fmt"
	"strings"

	"github.com/homeward/homeward"
)

// Message is a notice written out: its subject and plain-text body.
type Message struct {
	Subject, Body string
}

// words are a notice's subject and first lines in one language: formats of the identification's
// number, the stage and the actor, in that order (%[1]d, %[2]s, %[3]s).
type words struct{ subject, body string }

var english = map[Event]words{
	AwaitsReview: {"Homeward: identification %[1]d awaits your review (stage %[2]s)",
		"Identification %[1]d is in review at stage %[2]s (by %[3]s).\nYou may decide this stage: approve it, or return it to its author."},
	Returned: {"Homeward: identification %[1]d was returned to you",
		"Identification %[1]d was returned to you at stage %[2]s by %[3]s, with a comment.\nRevise it and submit it again."},
	Approved: {"Homeward: identification %[1]d is approved",
		"Identification %[1]d was approved at its last stage, %[2]s, by %[3]s.\nThe family can now be notified and the remains returned."},
	Withdrawn: {"Homeward: identification %[1]d was withdrawn",
		"Identification %[1]d was withdrawn by %[3]s; the reason is in its history.\nThe person is unaccounted for again: a family already told must be told of the change."},
}

var korean = map[Event]words{
	AwaitsReview: {"Homeward: 신원확인 %[1]d 심사 요청 (%[2]s 단계)",
		"신원확인 %[1]d이(가) %[2]s 단계 심사를 기다립니다 (처리: %[3]s).\n이 단계를 승인하거나 작성자에게 반려할 수 있습니다."},
	Returned: {"Homeward: 신원확인 %[1]d이(가) 반려되었습니다",
		"신원확인 %[1]d이(가) %[2]s 단계에서 %[3]s에 의해 의견과 함께 반려되었습니다.\n고친 뒤 다시 제출하십시오."},
	Approved: {"Homeward: 신원확인 %[1]d이(가) 승인되었습니다",
		"신원확인 %[1]d이(가) 마지막 단계(%[2]s)에서 %[3]s에 의해 승인되었습니다.\n이제 유가족에게 통보하고 유해를 인도할 수 있습니다."},
	Withdrawn: {"Homeward: 신원확인 %[1]d이(가) 철회되었습니다",
		"신원확인 %[1]d이(가) %[3]s에 의해 철회되었습니다. 사유는 이력에 있습니다.\n실종자는 다시 미확인 상태입니다. 이미 통보받은 유가족에게는 변경을 알려야 합니다."},
}

// Write writes the notice in its recipient's language (English unless Korean), with the address
// of the identification on the Homeward server at publicURL (the path alone when it is empty).
func (n *Notice) Write(publicURL string) (Message, error) {
	if err := n.Validate(); err != nil {
		return Message{}, err
	}
	w, open, foot := english[n.Event], "Open it in Homeward: %s", "This message carries no record's content: read the identification in Homeward."
	if n.Lang == homeward.LanguageKorean {
		w, open, foot = korean[n.Event], "Homeward에서 열기: %s", "이 메일에는 기록 내용이 없습니다. 신원확인은 Homeward에서 보십시오."
	}
	link := strings.TrimSuffix(publicURL, "/") + fmt.Sprintf("/identifications/%d", n.IdentificationID)
	body := fmt.Sprintf(w.body, n.IdentificationID, n.Stage, n.Actor) + "\n\n" + fmt.Sprintf(open, link) + "\n\n" + foot + "\n"
	return Message{Subject: fmt.Sprintf(w.subject, n.IdentificationID, n.Stage, n.Actor), Body: body}, nil
}
