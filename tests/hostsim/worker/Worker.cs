// A long-lived pwsh worker: runs many simulated hosts' commands at once, each in its own runspace
// with the host's C: drive, its own Env: drive and a host that behaves like powershell.exe.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;

namespace AetherV.HostSim
{
    public static class Worker
    {
        private static readonly ConcurrentDictionary<long, CommandContext> s_commands = new();
        private static InitialSessionState s_iss;

        public static int Run()
        {
            var input = Protocol.Open();
            var fallback = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
            Console.SetOut(new RoutingWriter(false, fallback));
            Console.SetError(new RoutingWriter(true, fallback));
            Console.SetIn(new RoutingReader());

            s_iss = InitialSessionState.CreateDefault();
            s_iss.Providers.Add(new SessionStateProviderEntry("SimEnvironment", typeof(SimEnvironmentProvider), null));
            s_iss.Variables.Add(new SessionStateVariableEntry("ErrorView", "NormalView", "Windows PowerShell 5.1 error layout"));
            s_iss.ThreadOptions = PSThreadOptions.UseCurrentThread;
            AddSimulatedModules(s_iss);
            // Redirected console output on Windows carries no ANSI escape sequences.
            var style = PSStyle.Instance;
            style.OutputRendering = OutputRendering.PlainText;
            style.Formatting.TableHeader = string.Empty;
            style.Formatting.CustomTableHeaderLabel = string.Empty;
            style.Formatting.FormatAccent = string.Empty;
            style.Formatting.ErrorAccent = string.Empty;
            style.Formatting.Error = string.Empty;
            style.Formatting.Warning = string.Empty;
            style.Formatting.Verbose = string.Empty;
            style.Formatting.Debug = string.Empty;
            Protocol.SendReady();

            string line;
            while ((line = input.ReadLine()) != null) {
                if (line.Length == 0)
                    continue;
                try {
                    Dispatch(line);
                } catch (Exception e) {
                    Protocol.SendLog("worker could not handle a request: " + e.Message);
                }
            }
            foreach (var cmd in s_commands.Values)
                Stop(cmd, 1);
            return 0;
        }

        // The simulated Hyper-V and CimCmdlets modules (hyperv/ beside this assembly) are imported
        // into every runspace and found by Get-Module -ListAvailable, as on a Hyper-V host.
        private static void AddSimulatedModules(InitialSessionState iss)
        {
            var dir = Path.Combine(Path.GetDirectoryName(typeof(Worker).Assembly.Location) ?? ".", "hyperv");
            if (!Directory.Exists(dir))
                return;
            var current = System.Environment.GetEnvironmentVariable("PSModulePath") ?? "";
            System.Environment.SetEnvironmentVariable("PSModulePath", dir + Path.PathSeparator + current);
            iss.ImportPSModule(new[] { Path.Combine(dir, "Hyper-V", "Hyper-V.psd1"),
                                       Path.Combine(dir, "CimCmdlets", "CimCmdlets.psd1") });
        }

        private static void Dispatch(string line)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var op = root.GetProperty("op").GetString();
            var id = root.GetProperty("id").GetInt64();
            switch (op) {
            case "start": {
                var cmd = new CommandContext(id) {
                    HostName = root.GetProperty("host").GetString(),
                    Root = root.GetProperty("root").GetString(),
                    User = root.GetProperty("user").GetString(),
                    Domain = root.GetProperty("domain").GetString(),
                    Mode = root.GetProperty("mode").GetString(),
                    Script = root.GetProperty("script").GetString(),
                    WorkingDirectory = root.GetProperty("cwd").GetString(),
                    Clixml = root.GetProperty("clixml").GetBoolean(),
                };
                if (root.TryGetProperty("env", out var env))
                    foreach (var p in env.EnumerateObject())
                        cmd.Environment[p.Name] = p.Value.GetString();
                s_commands[id] = cmd;
                var thread = new Thread(() => Execute(cmd), 16 * 1024 * 1024) { IsBackground = true, Name = "cmd-" + id };
                thread.Start();
                break;
            }
            case "stdin":
                if (s_commands.TryGetValue(id, out var target))
                    target.Stdin.Append(root.GetProperty("data").GetBytesFromBase64(), root.GetProperty("end").GetBoolean());
                break;
            case "stop":
                if (s_commands.TryGetValue(id, out var victim))
                    Stop(victim, root.GetProperty("exitCode").GetInt32());
                break;
            default:
                Protocol.SendLog("unknown worker op " + op);
                break;
            }
        }

        private static void Stop(CommandContext cmd, int exitCode)
        {
            cmd.StopExitCode = exitCode;
            cmd.Stopping = true;
            cmd.Stdin.End();
            cmd.Shell?.StopAsync();
        }

        private static void Execute(CommandContext cmd)
        {
            CommandContext.Current = cmd;
            int exitCode = 0;
            Runspace runspace = null;
            try {
                if (cmd.Mode == "stdin")
                    cmd.Script = cmd.Stdin.ReadToEnd();
                if (cmd.Stopping)
                    throw new PipelineStoppedException();
                var host = new SimPSHost(cmd);
                runspace = RunspaceFactory.CreateRunspace(host, s_iss);
                cmd.Attach(runspace.InstanceId);
                runspace.Open();
                PrepareHost(runspace, cmd);
                exitCode = RunScript(runspace, host, cmd);
            } catch (PipelineStoppedException) {
                exitCode = cmd.StopExitCode;
            } catch (Exception e) {
                Protocol.SendLog("command " + cmd.Id + " failed in the worker: " + e);
                cmd.WriteStderrRecord("Error", e.Message);
                exitCode = 1;
            } finally {
                if (runspace != null) {
                    cmd.Detach(runspace.InstanceId);
                    runspace.Dispose();
                }
                cmd.FinishStreams();
                s_commands.TryRemove(cmd.Id, out _);
                Protocol.SendExit(cmd.Id, cmd.Stopping ? cmd.StopExitCode : exitCode);
            }
        }

        // Maps C: to the host's root, replaces Env: with the host's environment and moves to the
        // shell's working directory.
        private static void PrepareHost(Runspace runspace, CommandContext cmd)
        {
            var proxy = runspace.SessionStateProxy;
            var fileSystem = proxy.Provider.GetOne("FileSystem");
            proxy.Drive.New(new PSDriveInfo("C", fileSystem, cmd.Root, "Simulated system drive", null), "global");
            proxy.Drive.Remove("Env", true, "global");
            proxy.Drive.New(new SimEnvironmentDrive(proxy.Provider.GetOne("SimEnvironment"), cmd.Environment), "global");
            var profile = Path.Combine(cmd.Root, "Users", cmd.User);
            Directory.CreateDirectory(Path.Combine(profile, "AppData", "Local", "Temp"));
            var cwd = string.IsNullOrEmpty(cmd.WorkingDirectory) ? "C:\\Users\\" + cmd.User : cmd.WorkingDirectory;
            proxy.Path.SetLocation(WildcardPattern.Escape(cwd));
        }

        private static int RunScript(Runspace runspace, SimPSHost host, CommandContext cmd)
        {
            // The console host's way: errors merged into output, Out-Default in a local scope, the
            // command added to history; then $global:? tells whether the last statement failed.
            using var pipeline = runspace.CreatePipeline(cmd.Script, true);
            pipeline.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
            pipeline.Commands.Add(new Command("Out-Default", false, true));
            cmd.Shell = pipeline;
            if (cmd.Stopping)
                throw new PipelineStoppedException();
            if (Regex.IsMatch(cmd.Script, @"\$input\b", RegexOptions.IgnoreCase)) {
                // $input enumerates stdin lines as they arrive, as in powershell.exe. The
                // synchronous Invoke() closes the pipeline's input before it starts, dropping
                // whatever the feeder had not written yet; InvokeAsync leaves it open.
                var feeder = new Thread(() => {
                    try {
                        foreach (var line in cmd.Stdin.Lines())
                            pipeline.Input.Write(line);
                        pipeline.Input.Close();
                    } catch (Exception e) when (e is PipelineClosedException || e is ObjectDisposedException
                                                || e is InvalidOperationException) {
                        // The script ended without reading the rest of stdin.
                    }
                }) { IsBackground = true, Name = "stdin-" + cmd.Id };
                feeder.Start();
            } else {
                pipeline.Input.Close();
            }
            Exception failure;
            try {
                failure = InvokeToEnd(pipeline);
            } finally {
                cmd.Stdin.End();
            }
            if (failure is PipelineStoppedException)
                throw failure;
            if (failure is RuntimeException error) {
                if (host.ExitCode.HasValue)
                    return host.ExitCode.Value;
                WriteError(runspace, error.ErrorRecord);
                return 1;
            }
            if (failure != null)
                throw failure;
            if (host.ExitCode.HasValue)
                return host.ExitCode.Value;
            // powershell.exe -Command exits with 1 when the last statement failed ($? is false).
            using var status = runspace.CreatePipeline("$global:?", false);
            var result = status.Invoke();
            return result.Count == 1 && result[0].BaseObject is bool ok && !ok ? 1 : 0;
        }

        // Runs the pipeline without closing its input first; returns what made it fail, if anything.
        // The runspace uses the current thread, so InvokeAsync runs the script here and returns
        // when it has ended; the wait covers a runspace that would use its own thread.
        private static Exception InvokeToEnd(Pipeline pipeline)
        {
            using var ended = new ManualResetEventSlim(false);
            pipeline.StateChanged += (_, e) => {
                if (IsFinal(e.PipelineStateInfo.State))
                    ended.Set();
            };
            pipeline.InvokeAsync();
            if (!IsFinal(pipeline.PipelineStateInfo.State))
                ended.Wait();
            var info = pipeline.PipelineStateInfo;
            return info.State switch {
                PipelineState.Failed => info.Reason ?? new RuntimeException("The command failed."),
                PipelineState.Stopped => new PipelineStoppedException(),
                _ => null,
            };
        }

        private static bool IsFinal(PipelineState state) =>
            state == PipelineState.Completed || state == PipelineState.Failed || state == PipelineState.Stopped;

        // A terminating error that escaped the script, printed the way the console host prints it.
        private static void WriteError(Runspace runspace, ErrorRecord record)
        {
            var wrapped = new PSObject(record);
            wrapped.Properties.Add(new PSNoteProperty("writeErrorStream", true));
            // Out-Default routes objects by PSObject.WriteStream (internal in PowerShell 7).
            var streamProperty = typeof(PSObject).GetProperty("WriteStream", BindingFlags.NonPublic | BindingFlags.Instance);
            if (streamProperty != null)
                streamProperty.SetValue(wrapped, Enum.Parse(streamProperty.PropertyType, "Error"));
            using var pipeline = runspace.CreatePipeline();
            pipeline.Commands.Add(new Command("Out-Default", false, true));
            pipeline.Invoke(new object[] { wrapped });
        }
    }
}
