namespace ComplaintWorkflows.WorkflowHost.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cw-validate-").FullName;

    private const string Executable = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d">
          <bpmn:process id="ok" isExecutable="true">
            <bpmn:startEvent id="s" />
            <bpmn:serviceTask id="t" camunda:delegateExpression="${noop}" />
            <bpmn:userTask id="u" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t" />
            <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="u" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private const string Broken = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
          <bpmn:process id="bad" isExecutable="true">
            <bpmn:startEvent id="s" />
            <bpmn:complexGateway id="cg" />
            <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="cg" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public void Run_ExitsZero_WhenEveryFileIsExecutable()
    {
        var output = new StringWriter();

        var code = ValidateCommand.Run([Write("ok.bpmn", Executable)], output);

        Assert.Equal(0, code);
        Assert.Contains("OK, executable", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ExitsOne_AndNamesTheElementAndLine_WhenAFileHasErrors()
    {
        var output = new StringWriter();

        var code = ValidateCommand.Run([Write("ok.bpmn", Executable), Write("bad.bpmn", Broken)], output);

        Assert.Equal(1, code);
        Assert.Contains("error unsupported-element line 4 complexGateway 'cg'", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ShowsTheThreeLevels_AndExitsZero_WhenThereAreOnlyWarningsAndInfo()
    {
        const string camunda = """
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d">
              <bpmn:process id="camunda" isExecutable="true">
                <bpmn:startEvent id="s" />
                <bpmn:exclusiveGateway id="g" default="f3" />
                <bpmn:userTask id="u" />
                <bpmn:endEvent id="e" />
                <bpmn:sequenceFlow sourceRef="s" targetRef="g" />
                <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="e"><bpmn:conditionExpression>${approved and not empty officer}</bpmn:conditionExpression></bpmn:sequenceFlow>
                <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="u" />
              </bpmn:process>
            </bpmn:definitions>
            """;
        var output = new StringWriter();

        var code = ValidateCommand.Run([Write("camunda.bpmn", camunda)], output);

        var text = output.ToString();
        Assert.Equal(0, code);
        Assert.Contains("OK, executable (1 warning(s), 1 info)", text, StringComparison.Ordinal);
        Assert.Contains("warning generated-id line 7 sequenceFlow 'Flow_s_g'", text, StringComparison.Ordinal);
        Assert.Contains("info juel-translated line 8 sequenceFlow 'f2'", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ExitsTwo_WhenAFileCannotBeRead_AndStillChecksTheOthers()
    {
        var output = new StringWriter();

        var code = ValidateCommand.Run([Path.Combine(folder, "missing.bpmn"), Write("bad.bpmn", Broken)], output);

        Assert.Equal(2, code);
        Assert.Contains("missing.bpmn: cannot be read", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("'cg'", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ExitsOne_ForMalformedXml_WithItsLine()
    {
        var output = new StringWriter();

        var code = ValidateCommand.Run([Write("broken.bpmn", "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n<oops>\n</bpmn:definitions>")], output);

        Assert.Equal(1, code);
        Assert.Contains("xml-malformed line 3", output.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }
}
