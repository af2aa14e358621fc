using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .conformance) ],
);

const conformance :Workerd.Worker = (
  modules = [ (name = "runner.mjs", esModule = embed "../../.cache/matrix/workerd-runner.mjs") ],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = ["nodejs_compat"],
);
