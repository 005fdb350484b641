using System.Diagnostics;
using System.Text.Json.Nodes;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// .github/workflows/ci.yml: the tests run through .ci/run, the image is built on every run, and only a version tag
/// logs in to the registry, pushes the image and renders the Kubernetes manifests for that tag.
/// </summary>
public sealed class DeploymentWorkflowTests
{
    static readonly JsonNode Workflow = DeploymentFiles.Yaml(DeploymentFiles.Read(".github/workflows/ci.yml"));

    static IEnumerable<(string Job, JsonNode Step)> Steps() =>
        Workflow["jobs"]!.AsObject().SelectMany(job => job.Value!["steps"]!.AsArray().Select(step => (job.Key, step!)));

    static bool OnlyForVersionTags(string? condition) =>
        condition is not null && condition.Replace(" ", "").Contains("startsWith(github.ref,'refs/tags/v')");

    [Fact]
    public void it_runs_the_tests_through_ci_run()
    {
        var triggers = Workflow["on"]!;
        Workflow["on"]!.AsObject().ContainsKey("pull_request").ShouldBeTrue("every pull request is tested");
        triggers["push"]!["tags"]!.AsArray().Select(t => t.Text()).ShouldContain("v*");
        Steps().Count(s => s.Step["run"]?.Text().Contains(".ci/run") == true).ShouldBe(1);
    }

    [Fact]
    public void the_image_is_built_on_every_run_after_the_tests_and_pushed_only_for_a_version_tag()
    {
        var (job, build) = Steps().Single(s => s.Step["uses"]?.Text().StartsWith("docker/build-push-action@") == true);
        build["if"].ShouldBeNull("the image is built on every run, so a broken Dockerfile fails the pull request");
        OnlyForVersionTags(build["with"]!["push"].Text()).ShouldBeTrue($"push: {build["with"]!["push"].Text()}");
        var jobNode = Workflow["jobs"]![job]!;
        OnlyForVersionTags(jobNode["if"]?.Text()).ShouldBeFalse();
        var needs = jobNode["needs"] is JsonArray many ? many.Select(n => n.Text()) : [jobNode["needs"].Text()];
        var testJob = Steps().Single(s => s.Step["run"]?.Text().Contains(".ci/run") == true).Job;
        needs.ShouldContain(testJob);

        var login = Steps().Single(s => s.Step["uses"]?.Text().StartsWith("docker/login-action@") == true).Step;
        OnlyForVersionTags(login["if"]?.Text()).ShouldBeTrue("only a release logs in to the registry");
        login["with"]!["registry"].Text().ShouldBe("ghcr.io");
        login["with"]!["password"].Text().ShouldBe("${{ secrets.GITHUB_TOKEN }}");
        // Only the job that pushes may write packages.
        foreach (var (name, node) in Workflow["jobs"]!.AsObject())
            if (node!["permissions"]?["packages"]?.Text() == "write") name.ShouldBe(job);
        Workflow["permissions"]?["packages"].ShouldBeNull();
    }

    [Fact]
    public void a_version_tag_renders_the_production_overlay_with_its_image_and_uploads_it()
    {
        var render = Steps().Single(s => s.Step["run"]?.Text().Contains("kustomize edit set image") == true).Step;
        OnlyForVersionTags(render["if"]?.Text()).ShouldBeTrue();
        var script = render["run"].Text();
        script.ShouldContain("deploy/k8s/overlays/production");
        script.ShouldContain("chartcraft=${IMAGE}:${tag}");
        var upload = Steps().Single(s => s.Step["uses"]?.Text().StartsWith("actions/upload-artifact@") == true
                                         && s.Step["with"]!["name"].Text().StartsWith("chartcraft-k8s")).Step;
        OnlyForVersionTags(upload["if"]?.Text()).ShouldBeTrue();
        Directory.Exists(DeploymentFiles.PathOf("deploy/k8s/overlays/production")).ShouldBeTrue();
    }

    [Fact]
    public async Task the_workflow_is_valid_against_the_github_actions_schema()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = DeploymentFiles.Root };
        start.ArgumentList.Add(DeploymentFiles.PathOf("deploy/check-workflow.sh"));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        process.ExitCode.ShouldBe(0, await output + await errors);
    }
}
