// SPDX-License-Identifier: GPL-2.0-only
//
// C# async/await on Mono: C async clients, each with its own connection,
// share the R requests; every reply is awaited.  The thread pool starts N
// workers at once (ThreadPool.SetMinThreads) and adds more on its own.
//
// The claim it speaks to: in a thread-pool runtime the code after an
// await (the continuation) may run on another pool thread than the code
// before it (C4).  A console program has no synchronization context, so
// Mono resumes each continuation on whichever pool thread is free: the
// kernel sees several pool threads run them, and wakeups from one pool
// thread to another.  Mono also starts threads of its own (the finalizer,
// the I/O selector that watches the sockets, timer threads).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

class UsageError : Exception {
	public UsageError(string msg) : base(msg) { }
}

class Options {
	public int Requests = 100, Concurrency = 10, IoMs = 20, CpuUs = 500, Workers = 4;
	public string Server;
	public EndPoint Endpoint;

	public const string Usage = @"Usage: cs_async.exe [OPTIONS]
C# async/await on Mono: continuations on the thread pool.

Serves R requests, at most C in flight: each sends a request to the
ioserver, waits D ms for the answer, then computes for W us.

  -r, --requests R      requests to serve (default 100)
  -c, --concurrency C   requests in flight at most (default 10)
  -d, --io-ms D         server delay per request in ms (default 20)
  -w, --cpu-us W        CPU work per request in us (default 500)
  -n, --workers N       pool threads started without delay (default 4)
  -s, --server ADDR     ioserver: unix:/path or tcp:127.0.0.1:PORT
  -h, --help            show this help

Prints one summary line; exits 1 if any request failed, 2 on bad usage.
";

	// null for --help
	public static Options Parse(string[] args)
	{
		var o = new Options();
		for (int i = 0; i < args.Length; i++) {
			string a = args[i], val = null;
			int eq = a.IndexOf('=');
			if (a.StartsWith("--") && eq > 0) {
				val = a.Substring(eq + 1);
				a = a.Substring(0, eq);
			}
			if (a == "-h" || a == "--help")
				return null;
			if (a != "-s" && a != "--server" && !IsNumeric(a))
				throw new UsageError($"unknown option '{a}'");
			if (val == null) {
				if (++i == args.Length)
					throw new UsageError($"option '{a}' needs a value");
				val = args[i];
			}
			if (a == "-s" || a == "--server")
				o.Server = val;
			else
				o.SetNumber(a, val);
		}
		if (o.Server == null)
			throw new UsageError("--server ADDR is required");
		o.Endpoint = ParseAddr(o.Server);
		return o;
	}

	static readonly string[] Names = { "requests", "concurrency", "io-ms", "cpu-us", "workers" };
	static readonly int[] Lo = { 1, 1, 0, 0, 1 }, Hi = { 10000000, 100000, 60000, 10000000, 1024 };

	static bool IsNumeric(string a)
	{
		return Array.IndexOf(new[] { "-r", "-c", "-d", "-w", "-n" }, a) >= 0 ||
		       Array.IndexOf(Names, a.TrimStart('-')) >= 0 && a.StartsWith("--");
	}

	void SetNumber(string a, string val)
	{
		int k = a.StartsWith("--") ? Array.IndexOf(Names, a.Substring(2)) : "rcdwn".IndexOf(a[1]);
		int v;
		if (!int.TryParse(val, out v) || val.StartsWith("-") || val.StartsWith("+") ||
		    v < Lo[k] || v > Hi[k])
			throw new UsageError($"invalid --{Names[k]} '{val}' (want {Lo[k]}..{Hi[k]})");
		switch (k) {
		case 0: Requests = v; break;
		case 1: Concurrency = v; break;
		case 2: IoMs = v; break;
		case 3: CpuUs = v; break;
		default: Workers = v; break;
		}
	}

	static EndPoint ParseAddr(string s)
	{
		int port;
		if (s.StartsWith("unix:") && s.Length > 5)
			return new UnixDomainSocketEndPoint(s.Substring(5));
		if (s.StartsWith("tcp:127.0.0.1:") && int.TryParse(s.Substring(14), out port) &&
		    port > 0 && port < 65536 && !s.Substring(14).StartsWith("+"))
			return new IPEndPoint(IPAddress.Loopback, port);
		throw new UsageError($"invalid --server '{s}' (want unix:/path or tcp:127.0.0.1:PORT)");
	}
}

static class Clock {
	[StructLayout(LayoutKind.Sequential)]
	struct Timespec {
		public long Sec, Nsec;
	}

	[DllImport("libc", SetLastError = true)]
	static extern int clock_gettime(int clk, out Timespec ts);

	const int ProcessCpu = 2, ThreadCpu = 3;	// CLOCK_*_CPUTIME_ID

	static long Ns(int clk)
	{
		Timespec ts;
		clock_gettime(clk, out ts);
		return ts.Sec * 1000000000L + ts.Nsec;
	}

	public static long ThreadNs() { return Ns(ThreadCpu); }
	public static long ProcessNs() { return Ns(ProcessCpu); }
}

class Program {
	const uint Magic = 0x6b736565;
	const int MsgSize = 16;

	readonly Options o;
	readonly double[] lat, wait;
	int next = -1;
	long workNs;
	Exception firstError;
	static long sink;

	Program(Options o)
	{
		this.o = o;
		lat = Enumerable.Repeat(double.NaN, o.Requests).ToArray();
		wait = Enumerable.Repeat(double.NaN, o.Requests).ToArray();
	}

	// Compute until this thread's CPU time advanced by us; the ns it took.
	static long CpuWork(int us)
	{
		long t0 = Clock.ThreadNs(), x = sink, spent;
		while ((spent = Clock.ThreadNs() - t0) < us * 1000L)
			for (int i = 0; i < 1000; i++)
				x = unchecked(x * 6364136223846793005L + 1442695040888963407L);
		sink = x;
		return spent;
	}

	static async Task Call(NetworkStream s, long id, int delayMs)
	{
		var msg = new byte[MsgSize];
		BitConverter.GetBytes(id).CopyTo(msg, 0);	// host byte order
		BitConverter.GetBytes((uint)delayMs).CopyTo(msg, 8);
		BitConverter.GetBytes(Magic).CopyTo(msg, 12);
		await s.WriteAsync(msg, 0, MsgSize);
		for (int got = 0, n; got < MsgSize; got += n) {
			// the code after this await (the continuation) runs on any pool thread
			n = await s.ReadAsync(msg, got, MsgSize - got);
			if (n == 0)
				throw new IOException("connection closed");
		}
		if (BitConverter.ToUInt32(msg, 12) != Magic || BitConverter.ToInt64(msg, 0) != id ||
		    BitConverter.ToUInt32(msg, 8) != 0)
			throw new IOException($"bad reply to request {id}");
	}

	async Task Client()
	{
		var family = o.Endpoint.AddressFamily;
		using (var sock = new Socket(family, SocketType.Stream, ProtocolType.Unspecified)) {
			await sock.ConnectAsync(o.Endpoint);
			var stream = new NetworkStream(sock);
			int id;
			while ((id = Interlocked.Increment(ref next)) < o.Requests) {
				var start = Stopwatch.GetTimestamp();
				await Call(stream, id, o.IoMs);
				wait[id] = Ms(start);
				Interlocked.Add(ref workNs, CpuWork(o.CpuUs));
				lat[id] = Ms(start);
			}
		}
	}

	static double Ms(long since)
	{
		return (Stopwatch.GetTimestamp() - since) * 1000.0 / Stopwatch.Frequency;
	}

	static double Percentile(double[] values, double p)
	{
		var v = values.Where(x => !double.IsNaN(x)).OrderBy(x => x).ToArray();
		if (v.Length == 0)
			return double.NaN;
		return v[Math.Min(Math.Max((int)Math.Ceiling(p / 100 * v.Length), 1), v.Length) - 1];
	}

	static string F(double x, int prec)
	{
		return double.IsNaN(x) ? "nan" : x.ToString("F" + prec, CultureInfo.InvariantCulture);
	}

	int Run()
	{
		int minWorkers, minIo;
		// The pool starts this many workers at once when work comes, then
		// adds more on its own; the default minimum is the number of CPUs.
		ThreadPool.GetMinThreads(out minWorkers, out minIo);
		ThreadPool.SetMinThreads(o.Workers, minIo);
		double setupCpuMs = Clock.ProcessNs() / 1e6;
		var t0 = Stopwatch.GetTimestamp();
		var clients = Enumerable.Range(0, Math.Min(o.Concurrency, o.Requests))
			.Select(_ => Client()).ToArray();
		try {
			Task.WaitAll(clients);
		} catch (AggregateException e) {
			firstError = e.InnerExceptions[0];
		}
		double wallMs = Ms(t0);
		if (firstError != null)
			Console.Error.WriteLine($"cs-async: {firstError.Message} (server {o.Server})");
		int ok = lat.Count(x => !double.IsNaN(x));
		Console.WriteLine($"model=cs-async requests={ok} errors={o.Requests - ok} " +
			$"wall_ms={F(wallMs, 1)} p50_ms={F(Percentile(lat, 50), 2)} " +
			$"p99_ms={F(Percentile(lat, 99), 2)} concurrency={o.Concurrency} " +
			$"workers={o.Workers} io_ms={o.IoMs} cpu_us={o.CpuUs} " +
			$"wait_p50_ms={F(Percentile(wait, 50), 3)} wait_p99_ms={F(Percentile(wait, 99), 3)} " +
			$"setup_cpu_ms={F(setupCpuMs, 3)} work_cpu_ms={F(workNs / 1e6, 3)} " +
			$"cpu_ms={F(Clock.ProcessNs() / 1e6, 3)}");
		return ok == o.Requests ? 0 : 1;
	}

	static int Main(string[] args)
	{
		Options o;
		try {
			o = Options.Parse(args);
		} catch (UsageError e) {
			Console.Error.Write($"cs-async: {e.Message}\n{Options.Usage}");
			return 2;
		}
		if (o == null) {
			Console.Write(Options.Usage);
			return 0;
		}
		return new Program(o).Run();
	}
}
