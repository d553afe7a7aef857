#!/usr/bin/env python3
"""Generates the first versions of the complaint processes and their forms (run from anywhere).

    python3 Workflows/tools/generate.py

The files it writes (Workflows/Processes/*.bpmn, Workflows/Forms/*.form) are what the host deploys; after
the first release administrators change them in the designer, so re-running this overwrites their edits.
"""
import json
import os

from bpmngen import Process, render

HERE = os.path.dirname(os.path.abspath(__file__))
PROCESSES = os.path.join(HERE, "..", "Processes")
FORMS = os.path.join(HERE, "..", "Forms")

FORM_KEY = "camunda-forms:deployment:{}.form"


def stage(status, text, public=True, kind=None, notify=False):
    inputs = {"status": status, "text": text}
    if not public:
        inputs["public"] = "${false}"
    if kind:
        inputs["kind"] = kind
    if notify:
        inputs["notify"] = "${true}"
    return dict(activity="complaint.stage", inputs=inputs)


def send(template, text=None, to=None):
    inputs = {"template": template}
    if to:
        inputs["to"] = to
    if text:
        inputs["text"] = text
    return dict(activity="notify.send", inputs=inputs)


def note(text, kind, public=False):
    return dict(activity="complaint.note", inputs={"text": text, "kind": kind, "public": "${true}" if public else "${false}"})


def complaint_handling():
    p = Process("complaint-handling", "投诉处理 (Complaint handling)",
                "受理、分类、分派、处理与调解、二级办结、满意度回访、归档；含不予受理、退回重新分派、调解终止、领导与法制审核、诉转案。")
    R = 1  # the main row
    p.node("start", "received", "收到投诉", 0, R)
    p.node("service", "classify", "智能分类", 1, R, activity="complaint.classify",
           inputs={"text": "${text}", "respondentName": "${respondentName}", "consumerPhone": "${consumerPhone}"})
    p.node("service", "acceptanceDeadline", "计算受理期限", 2, R, activity="sla.deadline",
           inputs={"kind": "acceptance", "receivedAt": "${receivedAt}", "variablePrefix": "acceptance"})
    p.node("service", "stageClassified", "记录分类结果", 3, R, **stage("Classified", "投诉已登记并完成分类，正在分派承办单位", notify=True))
    p.node("xgw", "hasReport", "含举报内容？", 4, R)
    p.node("service", "splitReport", "拆分举报件", 4, R + 1, activity="complaint.splitReport", inputs={"reportText": "${reportText}"})
    p.node("msgthrow", "referReport", "移送举报处理", 5, R + 1, message="report-received")
    p.node("xgw", "reportJoin", None, 6, R)
    p.node("service", "dispatch", "智能分派建议", 7, R, activity="complaint.dispatch",
           inputs={"respondentName": "${respondentName}", "respondentAddress": "${respondentAddress}", "problemType": "${problemType}",
                   "industry": "${industry}", "goodsOrService": "${goodsOrService}", "text": "${text}"})
    p.node("xgw", "dispatchRoute", "自动分派？", 8, R)
    p.node("user", "reviewDispatch", "审核分类与分派", 8, R - 1, candidateGroups="intake_desk", formKey=FORM_KEY.format("dispatch-review"),
           dueDate="${acceptanceWarnAt}", doc="投诉中心受理员核对智能分类与分派建议（低置信度时必须人工确认），可修改承办单位与承办人。")
    p.node("service", "stageDispatched", "记录分派", 9, R, **stage("Dispatched", "已分派至{unit}处理", notify=True))
    p.node("service", "acceptanceOfficer", "确定受理审查人", 10, R, activity="staff.assignee",
           inputs={"unitId": "${unitId}", "role": "desk_officer"}, outputs={"acceptanceOfficer": "${assignee}"})
    p.node("user", "acceptanceDecision", "受理审查", 11, R, assignee="${acceptanceOfficer}", candidateGroups="${'desk_officer@' + unitId}",
           dueDate="${acceptanceDueAt}", formKey=FORM_KEY.format("acceptance-decision"),
           doc="承办单位在受理期限内决定受理、不予受理（须选择法定理由）或退回投诉中心重新分派。")
    p.boundary("acceptanceWarning", "受理期限预警", "acceptanceDecision", "timer", ("timeDate", "${acceptanceWarnAt}"), interrupting=False)
    p.node("service", "noteAcceptanceWarning", "记录受理预警", 11, R + 1, **note("受理期限即将届满，请尽快作出受理决定", "acceptance-warning"))
    p.node("end", "acceptanceWarned", None, 11, R + 2)
    p.node("xgw", "acceptanceGateway", "受理决定", 12, R)
    p.node("service", "stageRefused", "不予受理", 12, R - 1, **stage("Refused", "${'不予受理：' + refusalGround + '。' + (refusalNote || '')}", notify=True))
    p.node("end", "refused", "不予受理结束", 13, R - 1)
    p.node("service", "stageReturned", "退回重新分派", 12, R + 2, **stage("Registered", "${'承办单位已退回投诉中心重新分派：' + (returnReason || '')}", kind="returned"))
    p.node("service", "handlingDeadline", "计算处理期限", 13, R, activity="sla.deadline",
           inputs={"kind": "handling", "tier": "${tier}", "receivedAt": "${receivedAt}", "variablePrefix": "handling"})
    p.node("service", "mediationDeadline", "计算调解时限", 14, R, activity="sla.deadline",
           inputs={"kind": "mediation", "receivedAt": "${receivedAt}", "variablePrefix": "mediation"})
    p.node("service", "stageAccepted", "记录受理", 15, R, **stage("Accepted", "投诉已受理，承办人将联系双方调解", notify=True))
    p.node("service", "findLeader", "确定督办领导", 16, R, activity="staff.leader", inputs={"unitId": "${unitId}"})
    p.node("user", "mediate", "处理与调解", 17, R, assignee="${handler}", dueDate="${handlingDueAt}", formKey=FORM_KEY.format("mediation"),
           doc="承办人联系双方调解，记录调解结果；需要检测/鉴定时暂停计时；发现违法线索时勾选诉转案。")
    p.boundary("handlingWarning", "处理期限预警", "mediate", "timer", ("timeDate", "${handlingWarnAt}"), interrupting=False, slot=0)
    p.boundary("handlingBreach", "处理超期", "mediate", "timer", ("timeDate", "${handlingDueAt}"), interrupting=False, slot=1)
    p.boundary("mediationLimit", "调解期满", "mediate", "timer", ("timeDate", "${mediationDueAt}"), interrupting=True, slot=2)
    p.node("service", "noteHandlingWarning", "记录处理预警", 16, R + 2, **note("处理期限即将届满（预警）", "handling-warning"))
    p.node("end", "handlingWarned", None, 16, R + 3)
    p.node("service", "noteSupervision", "记录超期督办", 17, R + 2, **note("处理已超期，已提交领导督办", "supervision"))
    p.node("user", "supervise", "督办", 17, R + 3, assignee="${leader}", formKey=FORM_KEY.format("supervision"),
           doc="投诉处理超期，责任领导督办：了解原因、提出要求。")
    p.node("end", "supervised", None, 17, R + 4)
    p.node("service", "stageTerminated", "调解终止", 18, R + 3, **stage("Terminated", "调解期限届满，双方未达成协议，调解终止", notify=True))
    p.node("xgw", "outcomeGateway", "处理结果", 18, R)
    p.node("service", "pauseClock", "暂停计时（检测/鉴定）", 18, R - 1, activity="sla.pause", inputs={"variablePrefix": "handling", "reason": "检测/鉴定"})
    p.node("service", "pauseMediationClock", "暂停调解时限", 19, R - 1, activity="sla.pause", inputs={"variablePrefix": "mediation", "reason": "检测/鉴定"})
    p.node("service", "stageSuspended", "记录中止", 20, R - 1, **stage("Suspended", "检测/鉴定进行中，处理期限暂停计算", notify=True))
    p.node("user", "testing", "登记检测/鉴定结果", 21, R - 1, assignee="${handler}", formKey=FORM_KEY.format("testing-result"))
    p.node("service", "resumeClock", "恢复计时", 22, R - 1, activity="sla.resume", inputs={"variablePrefix": "handling"})
    p.node("service", "resumeMediationClock", "恢复调解时限", 23, R - 1, activity="sla.resume", inputs={"variablePrefix": "mediation"})
    p.node("service", "stageResumed", "记录恢复处理", 24, R - 1, **stage("Handling", "检测/鉴定已完成，恢复处理", notify=True))
    p.node("xgw", "violationGateway", "发现违法线索？", 19, R)
    p.node("msgthrow", "convertToCase", "诉转案", 19, R + 1, message="case-requested")
    p.node("xgw", "violationJoin", None, 20, R)
    p.node("xgw", "closureJoin", None, 21, R)
    p.node("user", "closureRecord", "填写办结报告", 22, R, assignee="${handler}", formKey=FORM_KEY.format("closure-record"),
           doc="四段式办结报告：基本情况、争议焦点、调解过程、处理结果，至少两名工作人员签名。")
    p.node("service", "fileClosure", "登记办结报告", 23, R, activity="closure.record")
    p.boundary("closureIncomplete", "报告不完整", "fileClosure", "error", "closure-incomplete")
    p.node("service", "stageInReview", "提交审核", 24, R, **stage("InReview", "处理结果已提交审核"))
    p.node("user", "deskReview", "投诉台审核", 25, R, candidateGroups="${'desk_officer@' + unitId}", formKey=FORM_KEY.format("closure-review"))
    p.node("service", "fileDeskReview", "登记审核意见", 26, R, activity="closure.review", inputs={"level": "desk"})
    p.node("xgw", "deskApproved", "审核通过？", 27, R)
    p.node("service", "stageSentBack", "退回修改", 25, R + 2, **stage("Handling", "办结报告被退回修改", public=False, kind="sent-back"))
    p.node("xgw", "specialReview", "需领导及法制审核？", 28, R)
    p.node("user", "leaderReview", "领导审批", 28, R - 1, assignee="${leader}", formKey=FORM_KEY.format("closure-review"),
           doc="涉及职业索赔、重大投诉或社会影响较大的答复，须经领导审批。")
    p.node("service", "fileLeaderReview", "登记领导意见", 29, R - 1, activity="closure.review", inputs={"level": "leader"})
    p.node("xgw", "leaderApproved", "领导同意？", 30, R - 1)
    p.node("user", "legalReview", "法制科审核", 31, R - 1, candidateGroups="${'legal@' + unitId}", formKey=FORM_KEY.format("closure-review"))
    p.node("service", "fileLegalReview", "登记法制意见", 32, R - 1, activity="closure.review", inputs={"level": "legal"})
    p.node("xgw", "legalApproved", "法制科同意？", 33, R - 1)
    p.node("xgw", "reviewJoin", None, 33, R)
    p.node("service", "stageClosed", "办结", 34, R, **stage("Closed", "${'投诉已办结：' + result}", notify=True))
    p.node("call", "survey", "满意度回访", 35, R, called="satisfaction-survey", out=["satisfactionScore", "surveyChannel"])
    p.node("service", "stageSurveyed", "记录回访", 36, R, **stage("Surveyed", "满意度回访已完成，感谢您的评价"))
    p.node("service", "archive", "归档", 37, R, activity="complaint.archive")
    p.node("service", "stageArchived", "记录归档", 38, R, **stage("Archived", "投诉已归档"))
    p.node("end", "archived", "归档完成", 39, R)

    p.flow("received", "classify")
    p.flow("classify", "acceptanceDeadline")
    p.flow("acceptanceDeadline", "stageClassified")
    p.flow("stageClassified", "hasReport")
    p.flow("hasReport", "splitReport", "是", cond="${hasReportPart == true}")
    p.flow("hasReport", "reportJoin", "否", default=True)
    p.flow("splitReport", "referReport")
    p.flow("referReport", "reportJoin")
    p.flow("reportJoin", "dispatch")
    p.flow("dispatch", "dispatchRoute")
    # Straight on only when the classifier's calibrated model accepted every reviewed dimension (autoDispatch, off unless
    # configured) and the dispatch found a handler in jurisdiction; otherwise the desk reviews (needsReview marks why).
    p.flow("dispatchRoute", "stageDispatched", "自动分派", cond="${autoDispatch == true && inJurisdiction == true && !!handler}")
    p.flow("dispatchRoute", "reviewDispatch", "人工复核", default=True)
    p.flow("reviewDispatch", "stageDispatched")
    p.flow("stageDispatched", "acceptanceOfficer")
    p.flow("acceptanceOfficer", "acceptanceDecision")
    p.flow("acceptanceWarning", "noteAcceptanceWarning")
    p.flow("noteAcceptanceWarning", "acceptanceWarned")
    p.flow("acceptanceDecision", "acceptanceGateway")
    p.flow("acceptanceGateway", "stageRefused", "不予受理", cond="${acceptance == 'refuse'}")
    p.flow("acceptanceGateway", "stageReturned", "退回", cond="${acceptance == 'return'}")
    p.flow("acceptanceGateway", "handlingDeadline", "受理", default=True)
    p.flow("stageRefused", "refused")
    p.flow("stageReturned", "dispatch", via=R + 2.6)
    p.flow("handlingDeadline", "mediationDeadline")
    p.flow("mediationDeadline", "stageAccepted")
    p.flow("stageAccepted", "findLeader")
    p.flow("findLeader", "mediate")
    p.flow("handlingWarning", "noteHandlingWarning")
    p.flow("noteHandlingWarning", "handlingWarned")
    p.flow("handlingBreach", "noteSupervision")
    p.flow("noteSupervision", "supervise")
    p.flow("supervise", "supervised")
    p.flow("mediationLimit", "stageTerminated")
    p.flow("stageTerminated", "closureJoin")
    p.flow("mediate", "outcomeGateway")
    p.flow("outcomeGateway", "pauseClock", "检测/鉴定", cond="${outcome == 'suspend'}")
    p.flow("outcomeGateway", "violationGateway", "调解结束", default=True)
    p.flow("pauseClock", "pauseMediationClock")
    p.flow("pauseMediationClock", "stageSuspended")
    p.flow("stageSuspended", "testing")
    p.flow("testing", "resumeClock")
    p.flow("resumeClock", "resumeMediationClock")
    p.flow("resumeMediationClock", "stageResumed")
    p.flow("stageResumed", "mediate", via=R - 1.6)
    p.flow("violationGateway", "convertToCase", "是", cond="${violationFound == true}")
    p.flow("violationGateway", "violationJoin", "否", default=True)
    p.flow("convertToCase", "violationJoin")
    p.flow("violationJoin", "closureJoin")
    p.flow("closureJoin", "closureRecord")
    p.flow("closureRecord", "fileClosure")
    p.flow("closureIncomplete", "closureJoin", via=R + 1.4)
    p.flow("fileClosure", "stageInReview")
    p.flow("stageInReview", "deskReview")
    p.flow("deskReview", "fileDeskReview")
    p.flow("fileDeskReview", "deskApproved")
    p.flow("deskApproved", "stageSentBack", "退回", cond="${closureApproved == false}")
    p.flow("deskApproved", "specialReview", "通过", default=True)
    p.flow("stageSentBack", "closureJoin", via=R + 2.0)
    p.flow("specialReview", "leaderReview", "是", cond="${suspectedProfessionalClaimant == true || majorComplaint == true}")
    p.flow("specialReview", "reviewJoin", "否", default=True)
    p.flow("leaderReview", "fileLeaderReview")
    p.flow("fileLeaderReview", "leaderApproved")
    p.flow("leaderApproved", "legalReview", "同意", default=True)
    p.flow("leaderApproved", "stageSentBack", "退回", cond="${closureApproved == false}", via=R + 2.3)
    p.flow("legalReview", "fileLegalReview")
    p.flow("fileLegalReview", "legalApproved")
    p.flow("legalApproved", "reviewJoin", "同意", default=True)
    p.flow("legalApproved", "stageSentBack", "退回", cond="${closureApproved == false}", via=R + 2.3)
    p.flow("reviewJoin", "stageClosed")
    p.flow("stageClosed", "survey")
    p.flow("survey", "stageSurveyed")
    p.flow("stageSurveyed", "archive")
    p.flow("archive", "stageArchived")
    p.flow("stageArchived", "archived")
    return p, ["closure-incomplete"]


def satisfaction_survey():
    p = Process("satisfaction-survey", "满意度回访 (Satisfaction survey)",
                "办结后按消费者选择的方式（短信或邮件）发出带签名链接的评价邀请（网页或短信回复）；未答复时发送一次提醒，"
                "仍未答复则关闭链接，转人工电话回访。等待时长来自配置（Workflows:Notifications:Survey:FirstWait / ReminderWait），"
                "也可由流程变量 surveyFirstWait / surveyReminderWait 给定。")
    R = 1
    p.node("start", "surveyStart", "开始回访", 0, R)
    p.node("service", "openSurvey", "生成评价链接", 1, R, activity="survey.invite")
    p.node("service", "sendInvitation", "发送回访邀请", 2, R, **send("survey.invitation"))
    p.node("service", "noteSent", "记录发出回访", 3, R, **note("已请您对本次投诉处理进行满意度评价", "survey-sent", public=True))
    p.node("egw", "waitAnswer", None, 4, R)
    p.node("msgcatch", "answered", "收到评价", 5, R, message="survey-answer", key="${complaintId}")
    p.node("timercatch", "noAnswer", "未答复", 5, R + 1, timer=("timeDuration", "${surveyFirstWait}"))
    p.node("service", "sendReminder", "发送提醒", 6, R + 1, **send("survey.reminder"))
    p.node("service", "noteReminder", "记录提醒", 7, R + 1, **note("回访提醒：请对本次投诉处理进行评价", "survey-reminder", public=True))
    p.node("egw", "waitAfterReminder", None, 8, R + 1)
    p.node("msgcatch", "answeredAfterReminder", "收到评价", 9, R + 1, message="survey-answer", key="${complaintId}")
    p.node("timercatch", "stillNoAnswer", "提醒后仍未答复", 9, R + 2, timer=("timeDuration", "${surveyReminderWait}"))
    p.node("service", "closeSurvey", "关闭评价链接", 10, R + 2, activity="survey.close")
    p.node("user", "followUpCall", "电话回访", 11, R + 2, candidateGroups="${'desk_officer@' + unitId}", formKey=FORM_KEY.format("survey-call"),
           doc="消费者未答复回访，由工作人员电话回访并记录六项评价。")
    p.node("xgw", "answerJoin", None, 12, R)
    p.node("service", "recordAnswer", "登记评价", 13, R, activity="survey.record")
    p.node("end", "surveyDone", "回访完成", 14, R)
    for a, b in [("surveyStart", "openSurvey"), ("openSurvey", "sendInvitation"), ("sendInvitation", "noteSent"), ("noteSent", "waitAnswer"),
                 ("waitAnswer", "answered"), ("waitAnswer", "noAnswer"),
                 ("noAnswer", "sendReminder"), ("sendReminder", "noteReminder"), ("noteReminder", "waitAfterReminder"),
                 ("waitAfterReminder", "answeredAfterReminder"), ("waitAfterReminder", "stillNoAnswer"), ("stillNoAnswer", "closeSurvey"),
                 ("closeSurvey", "followUpCall"), ("answered", "answerJoin"),
                 ("answeredAfterReminder", "answerJoin"), ("followUpCall", "answerJoin"), ("answerJoin", "recordAnswer"), ("recordAnswer", "surveyDone")]:
        p.flow(a, b)
    return p, []


def notification_failure():
    p = Process("notification-failure", "通知发送失败处理 (Notification failure)",
                "短信或邮件无法送达时交由工作人员处理：号码/邮箱无效时由承办单位受理员核实并更正后重发；账户、模板或内容问题由系统管理员处理。"
                "重发仍是同一条通知，消费者只会收到一次。")
    R = 1
    p.node("start", "failureStart", "通知发送失败", 0, R)
    p.node("xgw", "failureKindGateway", "联系方式无效？", 1, R)
    p.node("user", "fixContact", "核实联系方式", 2, R, candidateGroups="${handlingGroup}", formKey=FORM_KEY.format("notification-contact"),
           doc="通知因号码或邮箱无效未能送达：联系消费者核实后填写正确的手机号/邮箱并重新发送，或确认不再发送。")
    p.node("user", "checkAccount", "处理发送故障", 2, R + 1, candidateGroups="${handlingGroup}", formKey=FORM_KEY.format("notification-alert"),
           doc="短信/邮件服务商账户异常（余额、停机、额度、认证）或签名、模板、内容被拒：处理后重新发送，或确认不再发送。")
    p.node("xgw", "failureJoin", None, 3, R)
    p.node("service", "retryNotification", "重新发送或结束", 4, R, activity="notify.retry",
           inputs={"notificationKey": "${notificationKey}", "action": "${action}", "phoneNumber": "${phoneNumber || ''}",
                   "email": "${email || ''}", "note": "${note || ''}"})
    p.node("end", "failureDone", "处理完成", 5, R)
    p.flow("failureStart", "failureKindGateway")
    p.flow("failureKindGateway", "fixContact", "是", cond="${failureKind == 'invalid-recipient'}")
    p.flow("failureKindGateway", "checkAccount", "否", default=True)
    p.flow("fixContact", "failureJoin")
    p.flow("checkAccount", "failureJoin")
    p.flow("failureJoin", "retryNotification")
    p.flow("retryNotification", "failureDone")
    return p, []


def case_handling():
    p = Process("case-handling", "诉转案与举报处理 (Case handling)",
                "违法线索核查、15 个工作日内作出是否立案决定（可延长 15 个工作日）、调查、处理决定、结案；举报人在决定后 5 个工作日内获告知。")
    R = 1
    p.node("start", "caseRequested", "诉转案", 0, R, message="case-requested")
    p.node("start", "reportReceived", "举报", 0, R + 1, message="report-received")
    p.node("service", "openConversion", "建立案件（诉转案）", 1, R, activity="caseFile.open",
           inputs={"source": "conversion", "clue": "${violationClue || ''}"}, outputs={"caseId": "${caseId}", "caseNumber": "${caseNumber}", "caseSource": "conversion"})
    p.node("service", "openReport", "建立案件（举报）", 1, R + 1, activity="caseFile.open",
           inputs={"source": "report", "complaintId": "${reportComplaintId}"}, outputs={"caseId": "${caseId}", "caseNumber": "${caseNumber}", "caseSource": "report"})
    p.node("service", "dispatchReport", "确定举报承办单位", 2, R + 1, activity="complaint.dispatch",
           inputs={"respondentName": "${respondentName}", "respondentAddress": "${respondentAddress}", "problemType": "${problemType}",
                   "industry": "${industry}", "goodsOrService": "${goodsOrService}", "text": "${reportText}"})
    p.node("xgw", "opened", None, 3, R)
    p.node("service", "openingDeadline", "计算立案期限", 4, R, activity="sla.deadline", inputs={"kind": "caseOpening", "variablePrefix": "caseOpening"})
    p.node("service", "caseLeader", "确定审批领导", 5, R, activity="staff.leader", inputs={"unitId": "${unitId}"})
    p.node("user", "screening", "核查与立案审批", 6, R, candidateGroups="${'handler@' + unitId}", dueDate="${caseOpeningDueAt}",
           formKey=FORM_KEY.format("case-screening"), doc="核查违法线索，在期限内作出立案、不予立案或延长期限的决定。")
    p.boundary("openingWarning", "立案期限预警", "screening", "timer", ("timeDate", "${caseOpeningWarnAt}"), interrupting=False)
    p.node("service", "noteOpeningWarning", "记录立案预警", 6, R + 2, activity="caseFile.stage",
           inputs={"status": "Screening", "text": "立案决定期限即将届满"})
    p.node("end", "openingWarned", None, 6, R + 3)
    p.node("xgw", "screeningDecision", "决定", 6, R)
    p.node("service", "extendOpening", "延长立案期限", 7, R - 1, activity="sla.deadline",
           inputs={"kind": "caseOpeningExtension", "startAt": "${caseOpeningDueAt}", "variablePrefix": "caseOpening"}, outputs={"caseExtended": "${true}"})
    p.node("service", "stageNotOpened", "不予立案", 8, R + 1, activity="caseFile.stage", inputs={"status": "NotOpened", "text": "经核查不予立案"})
    p.node("service", "stageOpened", "立案", 8, R, activity="caseFile.stage", inputs={"status": "Opened", "text": "已立案调查"})
    p.node("user", "investigate", "调查取证", 9, R, candidateGroups="${'handler@' + unitId}", formKey=FORM_KEY.format("case-investigation"))
    p.node("service", "stageInvestigated", "记录调查", 10, R, activity="caseFile.stage", inputs={"status": "Investigating", "text": "调查取证完成，待作出处理决定"})
    p.node("user", "decide", "作出处理决定", 11, R, assignee="${leader}", formKey=FORM_KEY.format("case-decision"))
    p.node("service", "stageDecided", "记录决定", 12, R, activity="caseFile.stage", inputs={"status": "Decided", "text": "${'已作出处理决定：' + caseDecision}"})
    p.node("service", "stageClosedCase", "结案", 13, R, activity="caseFile.stage", inputs={"status": "Closed", "text": "案件已结案"})
    p.node("xgw", "decided", None, 14, R)
    p.node("xgw", "isReport", "举报件？", 14, R)
    p.node("service", "noticeDeadline", "计算告知期限", 15, R + 1, activity="sla.deadline", inputs={"kind": "reporterNotice", "variablePrefix": "reporterNotice"})
    p.node("user", "notifyReporter", "告知举报人", 16, R + 1, candidateGroups="${'desk_officer@' + unitId}", dueDate="${reporterNoticeDueAt}",
           formKey=FORM_KEY.format("reporter-notice"), doc="决定作出后 5 个工作日内告知实名举报人是否立案。")
    p.node("xgw", "endJoin", None, 17, R)
    p.node("end", "caseDone", "完成", 17, R)
    for a, b in [("caseRequested", "openConversion"), ("reportReceived", "openReport"), ("openConversion", "opened"), ("openReport", "dispatchReport"), ("dispatchReport", "opened"),
                 ("opened", "openingDeadline"), ("openingDeadline", "caseLeader"), ("caseLeader", "screening"),
                 ("openingWarning", "noteOpeningWarning"), ("noteOpeningWarning", "openingWarned"), ("screening", "screeningDecision"),
                 ("stageOpened", "investigate"), ("investigate", "stageInvestigated"), ("stageInvestigated", "decide"),
                 ("decide", "stageDecided"), ("stageDecided", "stageClosedCase"), ("stageClosedCase", "decided"), ("stageNotOpened", "decided"),
                 ("decided", "isReport"), ("noticeDeadline", "notifyReporter"), ("notifyReporter", "endJoin"), ("endJoin", "caseDone")]:
        p.flow(a, b)
    p.flow("screeningDecision", "extendOpening", "延长", cond="${caseDecisionKind == 'extend' && caseExtended != true}")
    p.flow("screeningDecision", "stageNotOpened", "不予立案", cond="${caseDecisionKind == 'notOpen'}")
    p.flow("screeningDecision", "stageOpened", "立案", default=True)
    p.flow("extendOpening", "screening", via=R - 1.6)
    p.flow("isReport", "noticeDeadline", "是", cond="${caseSource == 'report'}")
    p.flow("isReport", "endJoin", "否", default=True)
    return p, []


def text(key, label, required=True, area=False, max_length=None):
    c = {"key": key, "label": label, "type": "textarea" if area else "textfield", "validate": {"required": required}}
    if max_length:
        c["validate"]["maxLength"] = max_length
    return c


def select(key, label, options, required=True):
    return {"key": key, "label": label, "type": "select", "values": [{"label": l, "value": v} for v, l in options], "validate": {"required": required}}


def checkbox(key, label):
    return {"key": key, "label": label, "type": "checkbox"}


def number(key, label, lo, hi, required=True):
    return {"key": key, "label": label, "type": "number", "validate": {"required": required, "min": lo, "max": hi}}


PROBLEM_TYPES = ["售后服务", "合同", "质量", "价格", "虚假宣传", "安全", "假冒", "人格尊严", "计量", "食品安全", "不正当竞争", "其他"]
REFUSAL_GROUNDS = [
    "不属于市场监督管理部门职责或本机关无管辖权",
    "法院、仲裁机构、其他行政机关已受理或处理",
    "不是为生活消费需要购买、使用商品或接受服务，或不存在消费者权益争议",
    "知道或应当知道权益受侵害之日起超过三年",
    "未提供必要材料或材料不真实",
    "冒用他人身份或拒绝核实身份",
    "法律、法规、规章规定不予受理的其他情形",
]
SCORE = [("5", "非常满意"), ("4", "满意"), ("3", "一般"), ("2", "不满意"), ("1", "非常不满意")]


def forms():
    survey_fields = [number(k, l, 1, 5) for k, l in [
        ("speed", "处理速度 (Speed)"), ("attitude", "服务态度 (Attitude)"), ("communication", "沟通情况 (Communication)"),
        ("fairness", "处理结果公正 (Fairness of the result)"), ("professionalism", "专业水平 (Professionalism)"), ("overall", "总体满意度 (Overall)")]]
    return {
        "dispatch-review": [
            select("problemType", "问题类别 (Problem type)", [(t, t) for t in PROBLEM_TYPES]),
            text("goodsOrService", "商品/服务类别 (Goods or service)", required=False),
            text("industry", "行业 (Industry)", required=False),
            select("tier", "复杂程度 (Complexity)", [("simple", "简易（3个工作日）"), ("general", "一般（7个工作日）"), ("complex", "复杂（15个工作日）")]),
            text("unitId", "承办单位 (Unit)"),
            text("handler", "承办人 (Handler)"),
            text("dispatchNote", "分派说明 (Note)", required=False, area=True),
        ],
        "acceptance-decision": [
            select("acceptance", "受理决定 (Decision)", [("accept", "受理"), ("refuse", "不予受理"), ("return", "退回投诉中心重新分派")]),
            select("refusalGround", "不予受理理由 (Ground, when refusing)", [(g, g) for g in REFUSAL_GROUNDS], required=False),
            text("refusalNote", "告知消费者的说明 (Explanation to the consumer)", required=False, area=True),
            text("returnReason", "退回理由 (Reason for return)", required=False, area=True),
            checkbox("majorComplaint", "重大投诉或社会影响较大 (Major complaint)"),
        ],
        "mediation": [
            select("outcome", "处理结果 (Outcome)", [("mediated", "调解达成协议"), ("failed", "调解不成"), ("suspend", "需检测/鉴定，暂停计时")]),
            checkbox("mediationSucceeded", "调解成功 (Agreement reached)"),
            checkbox("violationFound", "发现违法线索，诉转案 (Violation found: convert to case)"),
            text("violationClue", "违法线索 (Violation clue)", required=False, area=True),
            text("progressNote", "告知消费者的进展 (Progress for the consumer)", required=False, area=True),
        ],
        "testing-result": [text("testingResult", "检测/鉴定结论 (Result of testing or appraisal)", area=True)],
        "closure-record": [
            text("basicFacts", "基本情况 (Facts)", area=True, max_length=4000),
            text("disputePoints", "争议焦点 (Points of dispute)", area=True, max_length=4000),
            text("mediationProcess", "调解过程 (Mediation)", area=True, max_length=8000),
            text("result", "处理结果 (Result)", area=True, max_length=4000),
            checkbox("mediationSucceeded", "调解成功 (Agreement reached)"),
            text("signatures", "签名工作人员（至少两人，用逗号分隔） (Signing staff, at least two)"),
        ],
        "closure-review": [
            select("decision", "审核结论 (Decision)", [("approve", "通过"), ("sendBack", "退回修改")]),
            text("comment", "审核意见 (Comment; required when sending back)", required=False, area=True),
        ],
        "supervision": [text("supervisionNote", "督办意见 (Supervision instructions)", area=True)],
        "survey-call": survey_fields + [text("comment", "意见建议 (Comment)", required=False, area=True)],
        "notification-contact": [
            select("action", "处理 (Action)", [("resend", "更正后重新发送"), ("cancel", "不再发送")]),
            text("phoneNumber", "正确的手机号 (Correct mobile number)", required=False),
            text("email", "正确的邮箱 (Correct email address)", required=False),
            text("note", "核实情况 (Note)", required=False, area=True),
        ],
        "notification-alert": [
            select("action", "处理 (Action)", [("resend", "已处理，重新发送"), ("cancel", "不再发送")]),
            text("note", "处理情况 (Note)", required=False, area=True),
        ],
        "case-screening": [
            select("caseDecisionKind", "决定 (Decision)", [("open", "立案"), ("notOpen", "不予立案"), ("extend", "延长立案期限（15个工作日，限一次）")]),
            text("screeningNote", "核查情况 (Findings)", area=True),
        ],
        "case-investigation": [text("investigationNote", "调查取证情况 (Investigation)", area=True)],
        "case-decision": [text("caseDecision", "处理决定 (Decision)", area=True)],
        "reporter-notice": [text("noticeNote", "告知情况（方式、时间） (How and when the reporter was told)", area=True)],
    }


def write(builds, form_components):
    """Writes each built process to Workflows/Processes and each form's components to Workflows/Forms."""
    os.makedirs(PROCESSES, exist_ok=True)
    os.makedirs(FORMS, exist_ok=True)
    for build in builds:
        p, errors = build()
        with open(os.path.join(PROCESSES, p.id + ".bpmn"), "w", encoding="utf-8") as f:
            f.write(render(p, errors))
    for key, components in form_components.items():
        schema = {"schemaVersion": 16, "type": "default", "id": key, "components": [dict(c, id=f"{key}_{c['key']}") for c in components]}
        with open(os.path.join(FORMS, key + ".form"), "w", encoding="utf-8") as f:
            json.dump(schema, f, ensure_ascii=False, indent=2)
            f.write("\n")


def main():
    write((complaint_handling, satisfaction_survey, case_handling, notification_failure), forms())


if __name__ == "__main__":
    main()
