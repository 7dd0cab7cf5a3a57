//! The Docker Engine API's request bodies that glassbox reads, field names
//! as Docker spells them. Every field is optional and unknown fields are
//! ignored, as dockerd does: the docker CLI and the SDKs send dozens of
//! fields, most of them empty. Responses are built as JSON where they are
//! made (`containers::view`, `images`, `system`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `POST /containers/create`: the container's config with its host config.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateRequest {
    pub hostname: Option<String>,
    pub domainname: Option<String>,
    pub user: Option<String>,
    pub attach_stdin: Option<bool>,
    pub tty: Option<bool>,
    pub open_stdin: Option<bool>,
    pub stdin_once: Option<bool>,
    pub env: Option<Vec<String>>,
    pub cmd: Option<Words>,
    pub entrypoint: Option<Words>,
    pub image: Option<String>,
    pub labels: Option<BTreeMap<String, String>>,
    pub volumes: Option<BTreeMap<String, serde_json::Value>>,
    pub working_dir: Option<String>,
    pub exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
    pub network_disabled: Option<bool>,
    pub stop_signal: Option<String>,
    pub stop_timeout: Option<i64>,
    pub healthcheck: Option<serde_json::Value>,
    pub host_config: Option<HostConfig>,
}

/// A command: Docker sends a list; some clients send one string.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Words {
    List(Vec<String>),
    One(String),
}

impl Words {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            Words::List(v) => v.clone(),
            // Docker's shell form: the string to /bin/sh -c.
            Words::One(s) if s.is_empty() => vec![],
            Words::One(s) => vec!["/bin/sh".into(), "-c".into(), s.clone()],
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct HostConfig {
    pub binds: Option<Vec<String>>,
    pub network_mode: Option<String>,
    pub port_bindings: Option<BTreeMap<String, Option<Vec<PortBinding>>>>,
    pub publish_all_ports: Option<bool>,
    pub auto_remove: Option<bool>,
    pub privileged: Option<bool>,
    pub readonly_rootfs: Option<bool>,
    pub cap_add: Option<Vec<String>>,
    pub cap_drop: Option<Vec<String>>,
    pub security_opt: Option<Vec<String>>,
    pub pid_mode: Option<String>,
    pub ipc_mode: Option<String>,
    #[serde(rename = "UTSMode")]
    pub uts_mode: Option<String>,
    pub userns_mode: Option<String>,
    pub cgroupns_mode: Option<String>,
    pub memory: Option<i64>,
    pub memory_swap: Option<i64>,
    pub nano_cpus: Option<i64>,
    pub cpu_quota: Option<i64>,
    pub cpu_period: Option<i64>,
    pub cpuset_cpus: Option<String>,
    pub pids_limit: Option<i64>,
    pub blkio_weight: Option<i64>,
    pub devices: Option<Vec<serde_json::Value>>,
    pub device_requests: Option<Vec<serde_json::Value>>,
    pub mounts: Option<Vec<Mount>>,
    pub tmpfs: Option<BTreeMap<String, String>>,
    pub volumes_from: Option<Vec<String>>,
    pub links: Option<Vec<String>>,
    pub restart_policy: Option<RestartPolicy>,
    /// The client's terminal size, [rows, columns], with -t.
    pub console_size: Option<Vec<u16>>,
}

#[derive(Debug, Default, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase", default)]
pub struct PortBinding {
    pub host_ip: Option<String>,
    pub host_port: Option<String>,
}

/// `--mount type=volume,source=data,target=/data[,readonly]`.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Mount {
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    pub read_only: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RestartPolicy {
    pub name: Option<String>,
}

/// `POST /containers/ID/exec`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ExecRequest {
    pub attach_stdin: Option<bool>,
    pub attach_stdout: Option<bool>,
    pub attach_stderr: Option<bool>,
    pub tty: Option<bool>,
    pub cmd: Option<Words>,
    pub env: Option<Vec<String>>,
    pub working_dir: Option<String>,
    pub user: Option<String>,
    pub privileged: Option<bool>,
    pub console_size: Option<Vec<u16>>,
}

/// `POST /exec/ID/start`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ExecStart {
    pub detach: Option<bool>,
    pub tty: Option<bool>,
    pub console_size: Option<Vec<u16>>,
}

/// `POST /volumes/create`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VolumeCreate {
    pub name: Option<String>,
    pub driver: Option<String>,
    pub driver_opts: Option<BTreeMap<String, String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_docker_cli_sends_parses_nulls_and_unknown_fields_included() {
        let body = r#"{"Hostname":"","Env":null,"Cmd":["echo","hi"],"Image":"busybox","Entrypoint":null,
            "HostConfig":{"Binds":["data:/data"],"Memory":67108864,"PidsLimit":null,"NewField":{"x":1},
            "PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]},"UTSMode":""},
            "NetworkingConfig":{"EndpointsConfig":{}},"Unknown":true}"#;
        let r: CreateRequest = serde_json::from_str(body).unwrap();
        assert_eq!(r.cmd.unwrap().to_vec(), ["echo", "hi"]);
        let h = r.host_config.unwrap();
        assert_eq!(h.memory, Some(64 << 20));
        assert_eq!(h.pids_limit, None);
        assert_eq!(h.port_bindings.unwrap()["80/tcp"].as_ref().unwrap()[0].host_port.as_deref(), Some("8080"));
        assert_eq!(Words::One("echo $HOME".into()).to_vec(), ["/bin/sh", "-c", "echo $HOME"]);
    }
}
