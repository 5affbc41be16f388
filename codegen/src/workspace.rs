//! The one model of the generator's inputs, loaded once.
//!
//! A [`Workspace`] holds every payload schema (checked by the authoring lint), every endpoint
//! description (typed, checked by the same rules and its own), and for each schema file the
//! [`ModelUnit`] typify made of it — with the Rust names read back from typify. Every
//! consumer (model and client generators, reference docs, schema diff, coverage, the
//! stale-file check) reads this model; nothing reads `schemas/` a second time.

use std::collections::BTreeMap;
use std::path::Path;

use crate::endpoints::{parse_endpoint, EndpointFile};
use crate::model_gen::{build_unit, ModelUnit};
use crate::schema_set::{is_endpoint_description, FileKind, SchemaFile, SchemaSet};
pub use crate::schema_set::{read_sources, Sources};
use crate::CodegenError;

/// Every input of the generator, loaded and checked.
#[derive(Debug, Clone)]
pub struct Workspace {
    schemas: SchemaSet,
    endpoints: Vec<EndpointFile>,
    units: BTreeMap<String, ModelUnit>,
}

impl Workspace {
    /// Loads `<root>/schemas`.
    pub fn load(root: &Path) -> Result<Self, CodegenError> {
        Self::from_sources(read_sources(&root.join("schemas"))?)
    }

    /// Builds the workspace from already read files (a git revision, a test corpus).
    pub fn from_sources(sources: Sources) -> Result<Self, CodegenError> {
        let (endpoint_sources, schema_sources): (Sources, Sources) = sources
            .into_iter()
            .partition(|(path, _)| is_endpoint_description(Path::new(path)));
        let schemas = SchemaSet::from_values(schema_sources)?;
        let endpoints = endpoint_sources
            .iter()
            .map(|(path, value)| parse_endpoint(path, value))
            .collect::<Result<Vec<_>, _>>()?;
        let mut units = BTreeMap::new();
        for file in schemas.files().filter(|f| f.kind != FileKind::Shared) {
            units.insert(file.rel_path.clone(), build_unit(&schemas, file)?);
        }
        let workspace = Workspace {
            schemas,
            endpoints,
            units,
        };
        workspace.check_references()?;
        Ok(workspace)
    }

    /// The payload schemas.
    pub fn schemas(&self) -> &SchemaSet {
        &self.schemas
    }

    /// The endpoint descriptions, ordered by path.
    pub fn endpoints(&self) -> &[EndpointFile] {
        &self.endpoints
    }

    /// The generated module of a schema file (not for `schemas/common.json`).
    pub fn unit(&self, file: &SchemaFile) -> Option<&ModelUnit> {
        self.units.get(&file.rel_path)
    }

    /// The schema file an endpoint description's `$ref` names (relative to the description).
    pub fn referenced_model(
        &self,
        endpoint: &EndpointFile,
        reference: &str,
    ) -> Option<&SchemaFile> {
        let rel = crate::bundle::join_relative(&endpoint.rel_path, reference)?;
        self.schemas.get(&rel).filter(|f| f.kind == FileKind::Model)
    }

    /// The Rust path of a model's root type as seen from outside its crate:
    /// `::deepfinch_models::cloud::task_result::CloudTaskResult`.
    pub fn model_type_path(&self, model: &SchemaFile) -> Option<String> {
        let title = model.title()?;
        let rust = self.unit(model)?.names.type_name(title)?;
        let mut path = format!("::{}_models", model.vendor.replace('-', "_"));
        for part in model.module_path() {
            path.push_str("::");
            path.push_str(&part);
        }
        Some(format!("{path}::{rust}"))
    }

    /// Every model an endpoint description refers to exists.
    fn check_references(&self) -> Result<(), CodegenError> {
        for endpoint in &self.endpoints {
            for op in endpoint.operations() {
                let mut refs: Vec<(String, &str)> = Vec::new();
                for (status, response) in &op.operation.responses {
                    if let Some(r) = response.json_ref() {
                        refs.push((format!("{}/responses/{status}", op.pointer), r));
                    }
                }
                for (index, parameter) in op.operation.parameters.iter().enumerate() {
                    if let Some(r) = parameter
                        .property_schema()
                        .and_then(|s| s.reference.as_deref())
                    {
                        refs.push((format!("{}/parameters/{index}", op.pointer), r));
                    }
                }
                for (pointer, reference) in refs {
                    if self.referenced_model(endpoint, reference).is_none() {
                        return Err(CodegenError::schema(
                            &endpoint.rel_path,
                            &pointer,
                            format!("`{reference}` names no model schema"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}
