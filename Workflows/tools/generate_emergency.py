#!/usr/bin/env python3
"""Generates the first versions of the emergency processes and their forms (run from anywhere).

    python3 Workflows/tools/generate_emergency.py

Writes Workflows/Processes/emergency-plan.bpmn, public-opinion.bpmn, risk-notice.bpmn and their forms in
Workflows/Forms. As with generate.py, administrators edit the files in the designer from then on.
"""
from bpmngen import Process
from generate import FORM_KEY, checkbox, select, text, write

LEVELS = [("I", "I级 特别重大"), ("II", "II级 重大"), ("III", "III级 较大"), ("IV", "IV级 一般")]


def record(kind, text=None):
    inputs = {"kind": kind}
    if text:
        inputs["text"] = text
    return dict(activity="emergency.record", inputs=inputs)


def emergency_plan():
    p = Process("emergency-plan", "应急预案 (Emergency plan)",
                "群体投诉、投诉量激增或人工启动的突发事件：分级（I-IV）、短信和邮件通知领导小组及办公室、现场处置、限时信息报送（时间、地点、涉及人员、范围、措施）、"
                "预付卡跑路由联合执法小组处置、消费者推选代表、信息沟通、解除响应、总结评估；演练时任务和通知只到参演人员。")
    R = 2
    p.node("start", "raised", "启动预案", 0, R)
    p.node("service", "grade", "事件分级", 1, R, activity="emergency.grade")
    p.node("service", "notifyLeadership", "通知领导小组和办公室", 2, R, activity="emergency.notify",
           inputs={"recipients": "${leadershipUsers + ',' + officeUsers}", "template": "emergency.alert", "purpose": "alert"})
    p.node("service", "reportDeadline", "计算报送时限", 3, R, activity="emergency.deadline",
           inputs={"kind": "report", "level": "${level}", "variablePrefix": "report"})
    p.node("pgw", "respond", None, 4, R)
    # branch 0: on-site response (or, for a surge, more staff)
    p.node("xgw", "isSurge", "投诉量激增？", 5, R - 2)
    p.node("user", "onSite", "现场处置", 6, R - 2, candidateUsers="${responseUsers}", formKey=FORM_KEY.format("emergency-onsite"),
           doc="处置人员赶赴现场，稳定秩序、了解情况，记录到场人员和现场处置情况。")
    p.node("service", "recordOnSite", "登记现场处置", 7, R - 2, **record("onSite"))
    p.node("user", "staffing", "增派人手", 6, R - 3, candidateUsers="${officeUsers}", formKey=FORM_KEY.format("emergency-staffing"),
           doc="投诉量超出正常处理能力：调配和增派受理、处置人员。")
    p.node("service", "recordStaffing", "登记人员调配", 7, R - 3, **record("staffing"))
    p.node("xgw", "onSiteJoin", None, 8, R - 2)
    # branch 1: upward report with deadline, warning and supervision
    p.node("user", "upwardReport", "信息报送", 6, R, candidateUsers="${officeUsers}", dueDate="${reportDueAt}", formKey=FORM_KEY.format("emergency-report"),
           doc="在时限内向上级报告：事件发生时间、地点、涉及人员、影响范围、已采取的措施。")
    p.boundary("reportWarning", "报送预警", "upwardReport", "timer", ("timeDate", "${reportWarnAt}"), interrupting=False, slot=0)
    p.boundary("reportOverdue", "报送超时", "upwardReport", "timer", ("timeDate", "${reportDueAt}"), interrupting=False, slot=1)
    p.node("service", "noteReportWarning", "记录报送预警", 5, R + 1, **record("warning", "信息报送时限即将届满（预警）"))
    p.node("end", "reportWarned", None, 5, R + 2)
    p.node("service", "notifyReportOverdue", "通知报送超时", 6, R + 2, activity="emergency.notify",
           inputs={"recipients": "${leader}", "template": "emergency.report-overdue", "purpose": "report-overdue"})
    p.node("user", "superviseReport", "督办", 7, R + 2, assignee="${leader}", formKey=FORM_KEY.format("supervision"),
           doc="信息报送超时，责任领导督办。")
    p.node("service", "recordSupervision", "登记督办", 8, R + 2, **record("supervision"))
    p.node("end", "reportSupervised", None, 9, R + 2)
    p.node("service", "recordReport", "登记信息报送", 7, R, **record("report"))
    # branch 2: joint enforcement group for prepaid-card run-offs
    p.node("xgw", "isPrepaid", "预付卡跑路？", 5, R - 1)
    p.node("user", "jointEnforcement", "联合执法处置", 6, R - 1, candidateUsers="${jointUsers}", formKey=FORM_KEY.format("emergency-joint"),
           doc="预付卡跑路：联合执法小组查控经营者、保全资产、固定证据。")
    p.node("service", "recordJoint", "登记联合执法", 7, R - 1, **record("joint"))
    p.node("xgw", "jointJoin", None, 8, R - 1)
    # branch 3: representatives
    p.node("user", "representatives", "推选消费者代表", 6, R + 3, candidateUsers="${responseUsers}", formKey=FORM_KEY.format("emergency-representatives"),
           doc="组织消费者推选 2-3 名代表，记录代表姓名和联系方式。")
    p.node("service", "recordRepresentatives", "登记消费者代表", 7, R + 3, **record("representatives"))
    # branch 4: communication
    p.node("user", "communication", "信息沟通", 6, R + 4, candidateUsers="${officeUsers}", formKey=FORM_KEY.format("emergency-communication"),
           doc="向当事各方通报处置进展，必要时对外发布信息。")
    p.node("service", "recordCommunication", "登记信息沟通", 7, R + 4, **record("communication"))
    p.node("pgw", "responded", None, 10, R)
    p.node("user", "deEscalate", "解除响应", 11, R, assignee="${leader}", formKey=FORM_KEY.format("emergency-deescalate"),
           doc="事态得到控制后，由领导决定解除应急响应。")
    p.node("service", "recordDeEscalation", "登记解除响应", 12, R, **record("deEscalation"))
    p.node("user", "review", "总结评估", 13, R, candidateUsers="${officeUsers}", formKey=FORM_KEY.format("emergency-review"),
           doc="事件（或演练）结束后总结评估：处置情况、经验教训、预案改进。")
    p.node("service", "recordReview", "登记总结评估", 14, R, **record("review"))
    p.node("service", "close", "事件结束", 15, R, activity="emergency.close")
    p.node("end", "closed", "结束", 16, R)

    for a, b in [("raised", "grade"), ("grade", "notifyLeadership"), ("notifyLeadership", "reportDeadline"), ("reportDeadline", "respond"),
                 ("respond", "isSurge"), ("onSite", "recordOnSite"), ("recordOnSite", "onSiteJoin"), ("staffing", "recordStaffing"), ("recordStaffing", "onSiteJoin"),
                 ("onSiteJoin", "responded"),
                 ("respond", "upwardReport"), ("upwardReport", "recordReport"), ("recordReport", "responded"),
                 ("reportWarning", "noteReportWarning"), ("noteReportWarning", "reportWarned"),
                 ("reportOverdue", "notifyReportOverdue"), ("notifyReportOverdue", "superviseReport"), ("superviseReport", "recordSupervision"), ("recordSupervision", "reportSupervised"),
                 ("respond", "isPrepaid"), ("jointEnforcement", "recordJoint"), ("recordJoint", "jointJoin"), ("jointJoin", "responded"),
                 ("respond", "representatives"), ("representatives", "recordRepresentatives"), ("recordRepresentatives", "responded"),
                 ("respond", "communication"), ("communication", "recordCommunication"), ("recordCommunication", "responded"),
                 ("responded", "deEscalate"), ("deEscalate", "recordDeEscalation"), ("recordDeEscalation", "review"), ("review", "recordReview"),
                 ("recordReview", "close"), ("close", "closed")]:
        p.flow(a, b)
    p.flow("isSurge", "staffing", "是", cond="${incidentKind == 'VolumeSurge'}")
    p.flow("isSurge", "onSite", "否", default=True)
    p.flow("isPrepaid", "jointEnforcement", "是", cond="${prepaidCard == true}")
    p.flow("isPrepaid", "jointJoin", "否", default=True)
    return p, []


def public_opinion():
    p = Process("public-opinion", "舆情处置 (Public-opinion response)",
                "媒体或网络上的食品药品等舆情：按蓝/黄/橙/红等级在 120/72/24/24 小时内（可配置）完成调查核实并报告，80% 时预警，超时由领导督办；回应、总结评估。")
    R = 1
    p.node("start", "registered", "舆情登记", 0, R)
    p.node("service", "grade", "确定处置人员", 1, R, activity="emergency.grade")
    p.node("service", "deadline", "计算报告时限", 2, R, activity="emergency.deadline",
           inputs={"kind": "opinion", "grade": "${opinionGrade}", "variablePrefix": "opinion"})
    p.node("service", "notify", "通知领导小组和办公室", 3, R, activity="emergency.notify",
           inputs={"recipients": "${leadershipUsers + ',' + officeUsers}", "template": "opinion.alert", "purpose": "alert"})
    p.node("user", "investigate", "调查核实并报告", 4, R, candidateUsers="${responseUsers}", dueDate="${opinionDueAt}", formKey=FORM_KEY.format("opinion-report"),
           doc="在等级对应的时限内调查核实舆情反映的问题，报告调查结果和处置措施。")
    p.boundary("opinionWarning", "报告预警", "investigate", "timer", ("timeDate", "${opinionWarnAt}"), interrupting=False, slot=0)
    p.boundary("opinionOverdue", "报告超时", "investigate", "timer", ("timeDate", "${opinionDueAt}"), interrupting=False, slot=1)
    p.node("service", "noteWarning", "记录预警", 3, R + 1, **record("warning", "舆情调查报告时限即将届满（预警）"))
    p.node("service", "notifyWarning", "通知预警", 3, R + 2, activity="emergency.notify",
           inputs={"recipients": "${responseUsers}", "template": "opinion.warning", "purpose": "warning"})
    p.node("end", "warned", None, 3, R + 3)
    p.node("service", "notifyOverdue", "通知超时", 4, R + 2, activity="emergency.notify",
           inputs={"recipients": "${leader}", "template": "opinion.overdue", "purpose": "overdue"})
    p.node("user", "supervise", "督办", 5, R + 2, assignee="${leader}", formKey=FORM_KEY.format("supervision"),
           doc="舆情调查报告超时，责任领导督办。")
    p.node("service", "recordSupervision", "登记督办", 6, R + 2, **record("supervision"))
    p.node("end", "supervised", None, 7, R + 2)
    p.node("service", "recordReport", "登记调查报告", 5, R, **record("opinionReport"))
    p.node("user", "respond", "回应处置", 6, R, candidateUsers="${officeUsers}", formKey=FORM_KEY.format("emergency-communication"),
           doc="按调查结果回应社会关切（重大舆情 24 小时内发布会，其他 48 小时内回应）。")
    p.node("service", "recordResponse", "登记回应", 7, R, **record("opinionResponse"))
    p.node("user", "review", "总结评估", 8, R, candidateUsers="${officeUsers}", formKey=FORM_KEY.format("emergency-review"))
    p.node("service", "recordReview", "登记总结评估", 9, R, **record("review"))
    p.node("service", "close", "处置结束", 10, R, activity="emergency.close")
    p.node("end", "closed", "结束", 11, R)
    for a, b in [("registered", "grade"), ("grade", "deadline"), ("deadline", "notify"), ("notify", "investigate"),
                 ("opinionWarning", "noteWarning"), ("noteWarning", "notifyWarning"), ("notifyWarning", "warned"),
                 ("opinionOverdue", "notifyOverdue"), ("notifyOverdue", "supervise"), ("supervise", "recordSupervision"), ("recordSupervision", "supervised"),
                 ("investigate", "recordReport"), ("recordReport", "respond"), ("respond", "recordResponse"), ("recordResponse", "review"),
                 ("review", "recordReview"), ("recordReview", "close"), ("close", "closed")]:
        p.flow(a, b)
    return p, []


def risk_notice():
    p = Process("risk-notice", "风险提示函 (Risk notice)",
                "一年内投诉达到阈值且未见改善的经营者：按模板生成风险提示函，领导审核（可修改文本或不同意），发出并抄送行业主管部门。")
    R = 1
    p.node("start", "generated", "生成提示函", 0, R)
    p.node("user", "leaderReview", "领导审核", 1, R, assignee="${leader}", formKey=FORM_KEY.format("risk-notice-review"),
           doc="审核风险提示函文本，可修改；同意后发出并抄送行业主管部门。")
    p.node("xgw", "approved", "同意发出？", 2, R)
    p.node("service", "send", "发出并抄送", 3, R, activity="risk.send", inputs={"letterText": "${letterText}"})
    p.node("end", "sent", "已发出", 4, R)
    p.node("service", "withdraw", "撤回", 3, R + 1, activity="risk.withdraw")
    p.node("end", "withdrawn", "已撤回", 4, R + 1)
    for a, b in [("generated", "leaderReview"), ("leaderReview", "approved"), ("send", "sent"), ("withdraw", "withdrawn")]:
        p.flow(a, b)
    p.flow("approved", "withdraw", "不同意", cond="${reviewDecision == 'withdraw'}")
    p.flow("approved", "send", "同意", default=True)
    return p, []


def forms():
    return {
        "emergency-report": [
            text("occurredAt", "事件发生时间 (Time)"),
            text("place", "地点 (Place)"),
            text("peopleInvolved", "涉及人员 (People involved)", area=True, max_length=2000),
            text("scope", "影响范围 (Scope)", area=True, max_length=2000),
            text("measures", "已采取的措施 (Measures taken)", area=True, max_length=4000),
            select("level", "事件级别 (Level)", LEVELS),
        ],
        "emergency-onsite": [
            text("onSiteSummary", "现场处置情况 (On-site response)", area=True, max_length=4000),
            text("staffSent", "到场人员 (Staff on site)", required=False),
        ],
        "emergency-staffing": [text("staffingPlan", "人员调配方案 (Extra staff)", area=True, max_length=4000)],
        "emergency-joint": [
            text("jointActions", "联合执法措施 (Joint enforcement actions)", area=True, max_length=4000),
            text("assetsSecured", "资产保全与证据固定 (Assets secured, evidence)", required=False, area=True, max_length=4000),
        ],
        "emergency-representatives": [
            text("representatives", "消费者代表（2-3 名，逗号分隔） (Consumers' representatives, 2-3)", max_length=500),
            text("representativeContacts", "代表联系方式 (Their contacts)", required=False, max_length=500),
        ],
        "emergency-communication": [
            text("communicationNote", "沟通情况（向哪些当事方通报了什么） (Who was told what)", area=True, max_length=4000),
            text("publicStatement", "对外发布内容 (Public statement)", required=False, area=True, max_length=4000),
        ],
        "emergency-deescalate": [text("deEscalationNote", "解除响应理由 (Why the response ends)", area=True, max_length=4000)],
        "emergency-review": [
            text("summary", "处置总结 (Summary)", area=True, max_length=4000),
            text("lessons", "经验教训 (Lessons)", area=True, max_length=4000),
            text("planImprovements", "预案改进建议 (Plan improvements)", required=False, area=True, max_length=4000),
        ],
        "opinion-report": [
            text("investigationFindings", "调查核实结果 (Findings)", area=True, max_length=4000),
            text("measures", "处置措施 (Measures)", area=True, max_length=4000),
            text("publicResponse", "回应口径 (Public response)", required=False, area=True, max_length=4000),
        ],
        "risk-notice-review": [
            select("reviewDecision", "审核意见 (Decision)", [("send", "同意发出"), ("withdraw", "不同意，撤回")]),
            text("letterText", "风险提示函正文 (Letter)", area=True, max_length=20000),
            text("reviewComment", "审核说明 (Comment)", required=False, area=True, max_length=4000),
        ],
    }


def main():
    write((emergency_plan, public_opinion, risk_notice), forms())


if __name__ == "__main__":
    main()
