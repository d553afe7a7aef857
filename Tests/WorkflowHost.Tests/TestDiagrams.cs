namespace ComplaintWorkflows.WorkflowHost.Tests;

/// <summary>BPMN that the API tests deploy.</summary>
internal static class TestDiagrams
{
    /// <summary>A process whose one user task, 审核 (review), stands between its start and its end.</summary>
    public static string Review(string processId) => $$"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
          <bpmn:process id="{{processId}}" isExecutable="true">
            <bpmn:startEvent id="s" />
            <bpmn:userTask id="review" name="审核" />
            <bpmn:endEvent id="e" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="review" />
            <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="e" />
          </bpmn:process>
        </bpmn:definitions>
        """;
}
