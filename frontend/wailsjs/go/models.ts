export namespace app {
	
	export class RewriteStep {
	    sql: string;
	    nonTransactional: boolean;
	    newUnit: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RewriteStep(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sql = source["sql"];
	        this.nonTransactional = source["nonTransactional"];
	        this.newUnit = source["newUnit"];
	    }
	}
	export class Rewrite {
	    steps: RewriteStep[];
	    plan: string;
	
	    static createFrom(source: any = {}) {
	        return new Rewrite(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.steps = this.convertValues(source["steps"], RewriteStep);
	        this.plan = source["plan"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Advice {
	    rule: string;
	    level: string;
	    title: string;
	    message: string;
	    line: number;
	    column: number;
	    endLine: number;
	    endColumn: number;
	    statementLine: number;
	    rewrite?: Rewrite;
	
	    static createFrom(source: any = {}) {
	        return new Advice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rule = source["rule"];
	        this.level = source["level"];
	        this.title = source["title"];
	        this.message = source["message"];
	        this.line = source["line"];
	        this.column = source["column"];
	        this.endLine = source["endLine"];
	        this.endColumn = source["endColumn"];
	        this.statementLine = source["statementLine"];
	        this.rewrite = this.convertValues(source["rewrite"], Rewrite);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Anomaly {
	    id: number;
	    kind: string;
	    severity: string;
	    status: string;
	    instanceId: string;
	    instanceName: string;
	    databaseId: string;
	    databaseName: string;
	    environmentId: string;
	    projectId: string;
	    subject: string;
	    summary: string;
	    action: string;
	    firstSeen: string;
	    lastSeen: string;
	    resolvedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Anomaly(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.severity = source["severity"];
	        this.status = source["status"];
	        this.instanceId = source["instanceId"];
	        this.instanceName = source["instanceName"];
	        this.databaseId = source["databaseId"];
	        this.databaseName = source["databaseName"];
	        this.environmentId = source["environmentId"];
	        this.projectId = source["projectId"];
	        this.subject = source["subject"];
	        this.summary = source["summary"];
	        this.action = source["action"];
	        this.firstSeen = source["firstSeen"];
	        this.lastSeen = source["lastSeen"];
	        this.resolvedAt = source["resolvedAt"];
	    }
	}
	export class DriftChange {
	    property: string;
	    action: string;
	    from: string;
	    to: string;
	
	    static createFrom(source: any = {}) {
	        return new DriftChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.property = source["property"];
	        this.action = source["action"];
	        this.from = source["from"];
	        this.to = source["to"];
	    }
	}
	export class DriftObject {
	    kind: string;
	    qualifiedName: string;
	    action: string;
	    changes: DriftChange[];
	    expectedDdl: string;
	    liveDdl: string;
	
	    static createFrom(source: any = {}) {
	        return new DriftObject(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.qualifiedName = source["qualifiedName"];
	        this.action = source["action"];
	        this.changes = this.convertValues(source["changes"], DriftChange);
	        this.expectedDdl = source["expectedDdl"];
	        this.liveDdl = source["liveDdl"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DriftDetail {
	    expectedSource: string;
	    expectedVersion: string;
	    expectedTakenAt: string;
	    liveTakenAt: string;
	    objects: DriftObject[];
	    notCompared: string[];
	    revert: string;
	    codify: string;
	    revertError: string;
	    codifyError: string;
	
	    static createFrom(source: any = {}) {
	        return new DriftDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.expectedSource = source["expectedSource"];
	        this.expectedVersion = source["expectedVersion"];
	        this.expectedTakenAt = source["expectedTakenAt"];
	        this.liveTakenAt = source["liveTakenAt"];
	        this.objects = this.convertValues(source["objects"], DriftObject);
	        this.notCompared = source["notCompared"];
	        this.revert = source["revert"];
	        this.codify = source["codify"];
	        this.revertError = source["revertError"];
	        this.codifyError = source["codifyError"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AnomalyDetail {
	    anomaly: Anomaly;
	    drift: DriftDetail;
	    error: string;
	    sqlstate: string;
	    migrationVersion: string;
	
	    static createFrom(source: any = {}) {
	        return new AnomalyDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.anomaly = this.convertValues(source["anomaly"], Anomaly);
	        this.drift = this.convertValues(source["drift"], DriftDetail);
	        this.error = source["error"];
	        this.sqlstate = source["sqlstate"];
	        this.migrationVersion = source["migrationVersion"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AnomalyFilter {
	    kind: string;
	    environmentId: string;
	    projectId: string;
	    databaseId: string;
	    all: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AnomalyFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.environmentId = source["environmentId"];
	        this.projectId = source["projectId"];
	        this.databaseId = source["databaseId"];
	        this.all = source["all"];
	    }
	}
	export class KeychainInfo {
	    available: boolean;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new KeychainInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.available = source["available"];
	        this.message = source["message"];
	    }
	}
	export class AppInfo {
	    version: string;
	    workspacePath: string;
	    keychain: KeychainInfo;
	    firstRun: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AppInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.workspacePath = source["workspacePath"];
	        this.keychain = this.convertValues(source["keychain"], KeychainInfo);
	        this.firstRun = source["firstRun"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ApprovalConfig {
	    templates: risk.Template[];
	    rules: risk.ApprovalRule[];
	
	    static createFrom(source: any = {}) {
	        return new ApprovalConfig(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.templates = this.convertValues(source["templates"], risk.Template);
	        this.rules = this.convertValues(source["rules"], risk.ApprovalRule);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TaskAssessment {
	    taskId: string;
	    database: string;
	    risk: risk.Assessment;
	
	    static createFrom(source: any = {}) {
	        return new TaskAssessment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.taskId = source["taskId"];
	        this.database = source["database"];
	        this.risk = this.convertValues(source["risk"], risk.Assessment);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Assessment {
	    approval: workflow.Approval;
	    tasks: TaskAssessment[];
	
	    static createFrom(source: any = {}) {
	        return new Assessment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.approval = this.convertValues(source["approval"], workflow.Approval);
	        this.tasks = this.convertValues(source["tasks"], TaskAssessment);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Change {
	    id: string;
	    databaseId: string;
	    runId: string;
	    version: string;
	    type: string;
	    status: string;
	    description: string;
	    checksum: string;
	    source: string;
	    appliedBy: string;
	    host: string;
	    durationMs: number;
	    error: string;
	    sqlstate: string;
	    failedStatement: string;
	    failedLine: number;
	    beforeSnapshotId: string;
	    afterSnapshotId: string;
	    seenOnSync: boolean;
	    appliedAt: string;
	    recordedAt: string;
	    issue: number;
	
	    static createFrom(source: any = {}) {
	        return new Change(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.databaseId = source["databaseId"];
	        this.runId = source["runId"];
	        this.version = source["version"];
	        this.type = source["type"];
	        this.status = source["status"];
	        this.description = source["description"];
	        this.checksum = source["checksum"];
	        this.source = source["source"];
	        this.appliedBy = source["appliedBy"];
	        this.host = source["host"];
	        this.durationMs = source["durationMs"];
	        this.error = source["error"];
	        this.sqlstate = source["sqlstate"];
	        this.failedStatement = source["failedStatement"];
	        this.failedLine = source["failedLine"];
	        this.beforeSnapshotId = source["beforeSnapshotId"];
	        this.afterSnapshotId = source["afterSnapshotId"];
	        this.seenOnSync = source["seenOnSync"];
	        this.appliedAt = source["appliedAt"];
	        this.recordedAt = source["recordedAt"];
	        this.issue = source["issue"];
	    }
	}
	export class ObjectChange {
	    action: string;
	    kind: string;
	    schema: string;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new ObjectChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.action = source["action"];
	        this.kind = source["kind"];
	        this.schema = source["schema"];
	        this.name = source["name"];
	    }
	}
	export class ChangeDetail {
	    change: Change;
	    statement: string;
	    beforeDdl: string;
	    afterDdl: string;
	    hasBefore: boolean;
	    hasAfter: boolean;
	    objects: ObjectChange[];
	    hasObjects: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ChangeDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.change = this.convertValues(source["change"], Change);
	        this.statement = source["statement"];
	        this.beforeDdl = source["beforeDdl"];
	        this.afterDdl = source["afterDdl"];
	        this.hasBefore = source["hasBefore"];
	        this.hasAfter = source["hasAfter"];
	        this.objects = this.convertValues(source["objects"], ObjectChange);
	        this.hasObjects = source["hasObjects"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CompareHazard {
	    type: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new CompareHazard(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.message = source["message"];
	    }
	}
	export class CompareRefusal {
	    object: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new CompareRefusal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.object = source["object"];
	        this.reason = source["reason"];
	    }
	}
	export class CompareSide {
	    kind: string;
	    databaseId: string;
	    snapshotId: string;
	    path: string;
	    sql: string;
	
	    static createFrom(source: any = {}) {
	        return new CompareSide(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.databaseId = source["databaseId"];
	        this.snapshotId = source["snapshotId"];
	        this.path = source["path"];
	        this.sql = source["sql"];
	    }
	}
	export class CompareRequest {
	    source: CompareSide;
	    target: CompareSide;
	    online: boolean;
	    includePrivileges: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CompareRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.source = this.convertValues(source["source"], CompareSide);
	        this.target = this.convertValues(source["target"], CompareSide);
	        this.online = source["online"];
	        this.includePrivileges = source["includePrivileges"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CompareUnsupported {
	    side: string;
	    kind: string;
	    schema: string;
	    name: string;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new CompareUnsupported(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.side = source["side"];
	        this.kind = source["kind"];
	        this.schema = source["schema"];
	        this.name = source["name"];
	        this.detail = source["detail"];
	    }
	}
	export class CompareValidation {
	    status: string;
	    reason: string;
	    refusals: CompareRefusal[];
	
	    static createFrom(source: any = {}) {
	        return new CompareValidation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.reason = source["reason"];
	        this.refusals = this.convertValues(source["refusals"], CompareRefusal);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CompareStatement {
	    sql: string;
	    hazards: CompareHazard[];
	    transactional: boolean;
	    object: string;
	    lockTimeoutMs: number;
	    statementTimeoutMs: number;
	
	    static createFrom(source: any = {}) {
	        return new CompareStatement(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sql = source["sql"];
	        this.hazards = this.convertValues(source["hazards"], CompareHazard);
	        this.transactional = source["transactional"];
	        this.object = source["object"];
	        this.lockTimeoutMs = source["lockTimeoutMs"];
	        this.statementTimeoutMs = source["statementTimeoutMs"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CompareResult {
	    sourceLabel: string;
	    targetLabel: string;
	    sourceDdl: string;
	    targetDdl: string;
	    statements: CompareStatement[];
	    script: string;
	    validation: CompareValidation;
	    unsupported: CompareUnsupported[];
	    columnOrder: string[];
	    identical: boolean;
	    online: boolean;
	    notes: string[];
	
	    static createFrom(source: any = {}) {
	        return new CompareResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sourceLabel = source["sourceLabel"];
	        this.targetLabel = source["targetLabel"];
	        this.sourceDdl = source["sourceDdl"];
	        this.targetDdl = source["targetDdl"];
	        this.statements = this.convertValues(source["statements"], CompareStatement);
	        this.script = source["script"];
	        this.validation = this.convertValues(source["validation"], CompareValidation);
	        this.unsupported = this.convertValues(source["unsupported"], CompareUnsupported);
	        this.columnOrder = source["columnOrder"];
	        this.identical = source["identical"];
	        this.online = source["online"];
	        this.notes = source["notes"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CompareSettings {
	    scratchInstanceId: string;
	
	    static createFrom(source: any = {}) {
	        return new CompareSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.scratchInstanceId = source["scratchInstanceId"];
	    }
	}
	
	export class CompareSnapshot {
	    id: string;
	    databaseId: string;
	    takenAt: string;
	    fingerprint: string;
	
	    static createFrom(source: any = {}) {
	        return new CompareSnapshot(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.databaseId = source["databaseId"];
	        this.takenAt = source["takenAt"];
	        this.fingerprint = source["fingerprint"];
	    }
	}
	
	
	
	export class ConditionCheck {
	    ok: boolean;
	    line: number;
	    column: number;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new ConditionCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.line = source["line"];
	        this.column = source["column"];
	        this.message = source["message"];
	    }
	}
	export class ConnectionResult {
	    serverVersion: string;
	    serverVersionNum: number;
	    latencyMs: number;
	
	    static createFrom(source: any = {}) {
	        return new ConnectionResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.serverVersion = source["serverVersion"];
	        this.serverVersionNum = source["serverVersionNum"];
	        this.latencyMs = source["latencyMs"];
	    }
	}
	export class CreateDatabaseRequest {
	    projectId: string;
	    instanceId: string;
	    name: string;
	    owner: string;
	    encoding: string;
	    environmentId: string;
	
	    static createFrom(source: any = {}) {
	        return new CreateDatabaseRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.projectId = source["projectId"];
	        this.instanceId = source["instanceId"];
	        this.name = source["name"];
	        this.owner = source["owner"];
	        this.encoding = source["encoding"];
	        this.environmentId = source["environmentId"];
	    }
	}
	export class Database {
	    id: string;
	    instanceId: string;
	    instanceName: string;
	    environmentId: string;
	    name: string;
	    owner: string;
	    encoding: string;
	    sizeBytes: number;
	    projectId: string;
	    syncedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Database(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.instanceId = source["instanceId"];
	        this.instanceName = source["instanceName"];
	        this.environmentId = source["environmentId"];
	        this.name = source["name"];
	        this.owner = source["owner"];
	        this.encoding = source["encoding"];
	        this.sizeBytes = source["sizeBytes"];
	        this.projectId = source["projectId"];
	        this.syncedAt = source["syncedAt"];
	    }
	}
	export class DatabaseSynced {
	    databaseId: string;
	    name: string;
	    stored: boolean;
	    error?: string;
	    sqlstate?: string;
	
	    static createFrom(source: any = {}) {
	        return new DatabaseSynced(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.databaseId = source["databaseId"];
	        this.name = source["name"];
	        this.stored = source["stored"];
	        this.error = source["error"];
	        this.sqlstate = source["sqlstate"];
	    }
	}
	
	
	
	export class EditReview {
	    advice: Advice[];
	    policy: string;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new EditReview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.advice = this.convertValues(source["advice"], Advice);
	        this.policy = source["policy"];
	        this.note = source["note"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EditPreview {
	    sql: string;
	    statements: diff.Statement[];
	    renames: diff.Rename[];
	    warnings: string[];
	    online: boolean;
	    problems: schemaedit.Problem[];
	    review: EditReview;
	
	    static createFrom(source: any = {}) {
	        return new EditPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sql = source["sql"];
	        this.statements = this.convertValues(source["statements"], diff.Statement);
	        this.renames = this.convertValues(source["renames"], diff.Rename);
	        this.warnings = source["warnings"];
	        this.online = source["online"];
	        this.problems = this.convertValues(source["problems"], schemaedit.Problem);
	        this.review = this.convertValues(source["review"], EditReview);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class EditorState {
	    sessionId: string;
	    databaseId: string;
	    databaseName: string;
	    snapshotId: string;
	    takenAt: string;
	    production: boolean;
	    design: string;
	    model: schemaedit.View;
	    problems: schemaedit.Problem[];
	
	    static createFrom(source: any = {}) {
	        return new EditorState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sessionId = source["sessionId"];
	        this.databaseId = source["databaseId"];
	        this.databaseName = source["databaseName"];
	        this.snapshotId = source["snapshotId"];
	        this.takenAt = source["takenAt"];
	        this.production = source["production"];
	        this.design = source["design"];
	        this.model = this.convertValues(source["model"], schemaedit.View);
	        this.problems = this.convertValues(source["problems"], schemaedit.Problem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Environment {
	    id: string;
	    name: string;
	    position: number;
	    protected: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Environment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.position = source["position"];
	        this.protected = source["protected"];
	    }
	}
	export class EnvironmentRules {
	    environmentId: string;
	    production: boolean;
	    risk: risk.RuleMention[];
	    approval: risk.ApprovalMention[];
	
	    static createFrom(source: any = {}) {
	        return new EnvironmentRules(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.environmentId = source["environmentId"];
	        this.production = source["production"];
	        this.risk = this.convertValues(source["risk"], risk.RuleMention);
	        this.approval = this.convertValues(source["approval"], risk.ApprovalMention);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class QueryError {
	    message: string;
	    sqlstate: string;
	    detail: string;
	    hint: string;
	    fence: string;
	    index: number;
	    offset: number;
	    line: number;
	    column: number;
	
	    static createFrom(source: any = {}) {
	        return new QueryError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.message = source["message"];
	        this.sqlstate = source["sqlstate"];
	        this.detail = source["detail"];
	        this.hint = source["hint"];
	        this.fence = source["fence"];
	        this.index = source["index"];
	        this.offset = source["offset"];
	        this.line = source["line"];
	        this.column = source["column"];
	    }
	}
	export class ExplainOutcome {
	    mode: string;
	    plan?: query.PlanNode;
	    error?: QueryError;
	    inTransaction: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ExplainOutcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mode = source["mode"];
	        this.plan = this.convertValues(source["plan"], query.PlanNode);
	        this.error = this.convertValues(source["error"], QueryError);
	        this.inTransaction = source["inTransaction"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ExplainRequest {
	    tab: string;
	    databaseId: string;
	    sql: string;
	    analyze: boolean;
	    admin: boolean;
	    confirmDatabase: string;
	    timeoutMs: number;
	
	    static createFrom(source: any = {}) {
	        return new ExplainRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tab = source["tab"];
	        this.databaseId = source["databaseId"];
	        this.sql = source["sql"];
	        this.analyze = source["analyze"];
	        this.admin = source["admin"];
	        this.confirmDatabase = source["confirmDatabase"];
	        this.timeoutMs = source["timeoutMs"];
	    }
	}
	export class ExportRequest {
	    databaseId: string;
	    tab: string;
	    sql: string;
	    format: string;
	    path: string;
	    admin: boolean;
	    confirmDatabase: string;
	    timeoutMs: number;
	
	    static createFrom(source: any = {}) {
	        return new ExportRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.databaseId = source["databaseId"];
	        this.tab = source["tab"];
	        this.sql = source["sql"];
	        this.format = source["format"];
	        this.path = source["path"];
	        this.admin = source["admin"];
	        this.confirmDatabase = source["confirmDatabase"];
	        this.timeoutMs = source["timeoutMs"];
	    }
	}
	export class FixRequest {
	    sql: string;
	    environmentId: string;
	    databaseId: string;
	    statementLine: number;
	
	    static createFrom(source: any = {}) {
	        return new FixRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sql = source["sql"];
	        this.environmentId = source["environmentId"];
	        this.databaseId = source["databaseId"];
	        this.statementLine = source["statementLine"];
	    }
	}
	export class SyntaxError {
	    message: string;
	    line: number;
	    column: number;
	
	    static createFrom(source: any = {}) {
	        return new SyntaxError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.message = source["message"];
	        this.line = source["line"];
	        this.column = source["column"];
	    }
	}
	export class KeptStatement {
	    line: number;
	    rule: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new KeptStatement(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line = source["line"];
	        this.rule = source["rule"];
	        this.reason = source["reason"];
	    }
	}
	export class FixResult {
	    sql: string;
	    units: number;
	    applied: number;
	    kept: KeptStatement[];
	    errors: number;
	    warnings: number;
	    infos: number;
	    syntaxError?: SyntaxError;
	
	    static createFrom(source: any = {}) {
	        return new FixResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sql = source["sql"];
	        this.units = source["units"];
	        this.applied = source["applied"];
	        this.kept = this.convertValues(source["kept"], KeptStatement);
	        this.errors = source["errors"];
	        this.warnings = source["warnings"];
	        this.infos = source["infos"];
	        this.syntaxError = this.convertValues(source["syntaxError"], SyntaxError);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class GitOpsUnmatched {
	    path: string;
	    reason: string;
	    commit: string;
	    seenAt: string;
	
	    static createFrom(source: any = {}) {
	        return new GitOpsUnmatched(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.reason = source["reason"];
	        this.commit = source["commit"];
	        this.seenAt = source["seenAt"];
	    }
	}
	export class GitOpsLink {
	    linked: boolean;
	    projectId: string;
	    path: string;
	    url: string;
	    branch: string;
	    baseDir: string;
	    template: string;
	    latestTemplate: string;
	    startCommit: string;
	    pollMinutes: number;
	    auth: string;
	    authUser: string;
	    sshKey: string;
	    lastCommit: string;
	    lastFetchAt: string;
	    lastError: string;
	    lastResult?: gitops.FetchResult;
	    unmatched: GitOpsUnmatched[];
	    defaultTemplate: string;
	    defaultLatestTemplate: string;
	
	    static createFrom(source: any = {}) {
	        return new GitOpsLink(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.linked = source["linked"];
	        this.projectId = source["projectId"];
	        this.path = source["path"];
	        this.url = source["url"];
	        this.branch = source["branch"];
	        this.baseDir = source["baseDir"];
	        this.template = source["template"];
	        this.latestTemplate = source["latestTemplate"];
	        this.startCommit = source["startCommit"];
	        this.pollMinutes = source["pollMinutes"];
	        this.auth = source["auth"];
	        this.authUser = source["authUser"];
	        this.sshKey = source["sshKey"];
	        this.lastCommit = source["lastCommit"];
	        this.lastFetchAt = source["lastFetchAt"];
	        this.lastError = source["lastError"];
	        this.lastResult = this.convertValues(source["lastResult"], gitops.FetchResult);
	        this.unmatched = this.convertValues(source["unmatched"], GitOpsUnmatched);
	        this.defaultTemplate = source["defaultTemplate"];
	        this.defaultLatestTemplate = source["defaultLatestTemplate"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class GitOpsLinkInput {
	    projectId: string;
	    path: string;
	    url: string;
	    branch: string;
	    baseDir: string;
	    template: string;
	    latestTemplate: string;
	    startCommit: string;
	    pollMinutes: number;
	    auth: string;
	    authUser: string;
	    sshKey: string;
	    token: string;
	    asConfig: boolean;
	
	    static createFrom(source: any = {}) {
	        return new GitOpsLinkInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.projectId = source["projectId"];
	        this.path = source["path"];
	        this.url = source["url"];
	        this.branch = source["branch"];
	        this.baseDir = source["baseDir"];
	        this.template = source["template"];
	        this.latestTemplate = source["latestTemplate"];
	        this.startCommit = source["startCommit"];
	        this.pollMinutes = source["pollMinutes"];
	        this.auth = source["auth"];
	        this.authUser = source["authUser"];
	        this.sshKey = source["sshKey"];
	        this.token = source["token"];
	        this.asConfig = source["asConfig"];
	    }
	}
	
	export class IssueHeader {
	    number: number;
	    title: string;
	    type: string;
	    status: string;
	    approval: string;
	    rollout: string;
	    projectId: string;
	    creator: string;
	    environments: string[];
	    createdAt: string;
	    updatedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new IssueHeader(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.number = source["number"];
	        this.title = source["title"];
	        this.type = source["type"];
	        this.status = source["status"];
	        this.approval = source["approval"];
	        this.rollout = source["rollout"];
	        this.projectId = source["projectId"];
	        this.creator = source["creator"];
	        this.environments = source["environments"];
	        this.createdAt = source["createdAt"];
	        this.updatedAt = source["updatedAt"];
	    }
	}
	export class HomeIssues {
	    waitingApproval: IssueHeader[];
	    waitingRollout: IssueHeader[];
	    mine: IssueHeader[];
	    recentlyDone: IssueHeader[];
	
	    static createFrom(source: any = {}) {
	        return new HomeIssues(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.waitingApproval = this.convertValues(source["waitingApproval"], IssueHeader);
	        this.waitingRollout = this.convertValues(source["waitingRollout"], IssueHeader);
	        this.mine = this.convertValues(source["mine"], IssueHeader);
	        this.recentlyDone = this.convertValues(source["recentlyDone"], IssueHeader);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Instance {
	    id: string;
	    name: string;
	    environmentId: string;
	    host: string;
	    port: number;
	    user: string;
	    database: string;
	    sslmode: string;
	    passwordMode: string;
	    hasPassword: boolean;
	    isSample: boolean;
	    lastSyncAt: string;
	    lastError: string;
	
	    static createFrom(source: any = {}) {
	        return new Instance(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.environmentId = source["environmentId"];
	        this.host = source["host"];
	        this.port = source["port"];
	        this.user = source["user"];
	        this.database = source["database"];
	        this.sslmode = source["sslmode"];
	        this.passwordMode = source["passwordMode"];
	        this.hasPassword = source["hasPassword"];
	        this.isSample = source["isSample"];
	        this.lastSyncAt = source["lastSyncAt"];
	        this.lastError = source["lastError"];
	    }
	}
	export class InstanceInput {
	    id?: string;
	    name: string;
	    environmentId: string;
	    host: string;
	    port: number;
	    user: string;
	    password: string;
	    keepPassword: boolean;
	    database: string;
	    sslmode: string;
	    url: string;
	
	    static createFrom(source: any = {}) {
	        return new InstanceInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.environmentId = source["environmentId"];
	        this.host = source["host"];
	        this.port = source["port"];
	        this.user = source["user"];
	        this.password = source["password"];
	        this.keepPassword = source["keepPassword"];
	        this.database = source["database"];
	        this.sslmode = source["sslmode"];
	        this.url = source["url"];
	    }
	}
	export class IssueFilter {
	    status: string;
	    projectId: string;
	    type: string;
	    environment: string;
	    database: string;
	    creator: string;
	    approval: string;
	    rollout: string;
	    search: string;
	    before: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new IssueFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.projectId = source["projectId"];
	        this.type = source["type"];
	        this.environment = source["environment"];
	        this.database = source["database"];
	        this.creator = source["creator"];
	        this.approval = source["approval"];
	        this.rollout = source["rollout"];
	        this.search = source["search"];
	        this.before = source["before"];
	        this.limit = source["limit"];
	    }
	}
	
	export class IssueList {
	    items: IssueHeader[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new IssueList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], IssueHeader);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class Property {
	    name: string;
	    value: string;
	
	    static createFrom(source: any = {}) {
	        return new Property(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.value = source["value"];
	    }
	}
	export class ObjectDetail {
	    id: string;
	    kind: string;
	    schema: string;
	    name: string;
	    parent: string;
	    properties: Property[];
	    ddl: string;
	
	    static createFrom(source: any = {}) {
	        return new ObjectDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.schema = source["schema"];
	        this.name = source["name"];
	        this.parent = source["parent"];
	        this.properties = this.convertValues(source["properties"], Property);
	        this.ddl = source["ddl"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RulePayload {
	    format: string;
	    maxLength: number;
	    number: number;
	    list: string[];
	    required: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RulePayload(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.format = source["format"];
	        this.maxLength = source["maxLength"];
	        this.number = source["number"];
	        this.list = source["list"];
	        this.required = source["required"];
	    }
	}
	export class PolicyRule {
	    id: string;
	    level: string;
	    payload?: RulePayload;
	
	    static createFrom(source: any = {}) {
	        return new PolicyRule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.level = source["level"];
	        this.payload = this.convertValues(source["payload"], RulePayload);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Policy {
	    environmentId: string;
	    name: string;
	    template: string;
	    customized: boolean;
	    updatedAt: string;
	    rules: PolicyRule[];
	
	    static createFrom(source: any = {}) {
	        return new Policy(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.environmentId = source["environmentId"];
	        this.name = source["name"];
	        this.template = source["template"];
	        this.customized = source["customized"];
	        this.updatedAt = source["updatedAt"];
	        this.rules = this.convertValues(source["rules"], PolicyRule);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Project {
	    id: string;
	    name: string;
	    archived: boolean;
	    databaseCount: number;
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Project(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.archived = source["archived"];
	        this.databaseCount = source["databaseCount"];
	        this.createdAt = source["createdAt"];
	    }
	}
	
	
	export class QueryResult {
	    tag: string;
	    columns: query.Column[];
	    rows: query.Cell[][];
	    limitReached: boolean;
	    elapsedMs: number;
	    start: number;
	    end: number;
	
	    static createFrom(source: any = {}) {
	        return new QueryResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tag = source["tag"];
	        this.columns = this.convertValues(source["columns"], query.Column);
	        this.rows = this.convertValues(source["rows"], query.Cell);
	        this.limitReached = source["limitReached"];
	        this.elapsedMs = source["elapsedMs"];
	        this.start = source["start"];
	        this.end = source["end"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class QueryOutcome {
	    mode: string;
	    results: QueryResult[];
	    error?: QueryError;
	    inTransaction: boolean;
	
	    static createFrom(source: any = {}) {
	        return new QueryOutcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mode = source["mode"];
	        this.results = this.convertValues(source["results"], QueryResult);
	        this.error = this.convertValues(source["error"], QueryError);
	        this.inTransaction = source["inTransaction"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class QueryRequest {
	    tab: string;
	    databaseId: string;
	    sql: string;
	    admin: boolean;
	    confirmDatabase: string;
	    limit: number;
	    timeoutMs: number;
	
	    static createFrom(source: any = {}) {
	        return new QueryRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tab = source["tab"];
	        this.databaseId = source["databaseId"];
	        this.sql = source["sql"];
	        this.admin = source["admin"];
	        this.confirmDatabase = source["confirmDatabase"];
	        this.limit = source["limit"];
	        this.timeoutMs = source["timeoutMs"];
	    }
	}
	
	export class QueryRun {
	    id: string;
	    statement: string;
	    mode: string;
	    ranAt: string;
	    durationMs: number;
	    rows: number;
	    error: string;
	    sqlstate: string;
	
	    static createFrom(source: any = {}) {
	        return new QueryRun(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.statement = source["statement"];
	        this.mode = source["mode"];
	        this.ranAt = source["ranAt"];
	        this.durationMs = source["durationMs"];
	        this.rows = source["rows"];
	        this.error = source["error"];
	        this.sqlstate = source["sqlstate"];
	    }
	}
	export class QueryTab {
	    id: string;
	    title: string;
	    databaseId: string;
	    sql: string;
	    limit: number;
	    timeoutSeconds: number;
	    active: boolean;
	
	    static createFrom(source: any = {}) {
	        return new QueryTab(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.databaseId = source["databaseId"];
	        this.sql = source["sql"];
	        this.limit = source["limit"];
	        this.timeoutSeconds = source["timeoutSeconds"];
	        this.active = source["active"];
	    }
	}
	export class ReviewRequest {
	    sql: string;
	    environmentId: string;
	    databaseId: string;
	
	    static createFrom(source: any = {}) {
	        return new ReviewRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sql = source["sql"];
	        this.environmentId = source["environmentId"];
	        this.databaseId = source["databaseId"];
	    }
	}
	export class ReviewResult {
	    advice: Advice[];
	    syntaxError?: SyntaxError;
	    errors: number;
	    warnings: number;
	    infos: number;
	    statements: number;
	    catalog: string;
	    policyName: string;
	
	    static createFrom(source: any = {}) {
	        return new ReviewResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.advice = this.convertValues(source["advice"], Advice);
	        this.syntaxError = this.convertValues(source["syntaxError"], SyntaxError);
	        this.errors = source["errors"];
	        this.warnings = source["warnings"];
	        this.infos = source["infos"];
	        this.statements = source["statements"];
	        this.catalog = source["catalog"];
	        this.policyName = source["policyName"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class RiskVariable {
	    name: string;
	    type: string;
	    doc: string;
	
	    static createFrom(source: any = {}) {
	        return new RiskVariable(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.type = source["type"];
	        this.doc = source["doc"];
	    }
	}
	export class RollbackPlan {
	    change: Change;
	    sql: string;
	    hazards: string[];
	    rebased: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RollbackPlan(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.change = this.convertValues(source["change"], Change);
	        this.sql = source["sql"];
	        this.hazards = source["hazards"];
	        this.rebased = source["rebased"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RuleInfo {
	    id: string;
	    family: string;
	    title: string;
	    rationale: string;
	    level: string;
	    basicLevel: string;
	    payloadType: string;
	    defaultPayload: RulePayload;
	    placeholders: string[];
	    example: string;
	    needsDatabase: boolean;
	    templates: Record<string, string>;
	    why: string;
	    safeForm: string;
	
	    static createFrom(source: any = {}) {
	        return new RuleInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.family = source["family"];
	        this.title = source["title"];
	        this.rationale = source["rationale"];
	        this.level = source["level"];
	        this.basicLevel = source["basicLevel"];
	        this.payloadType = source["payloadType"];
	        this.defaultPayload = this.convertValues(source["defaultPayload"], RulePayload);
	        this.placeholders = source["placeholders"];
	        this.example = source["example"];
	        this.needsDatabase = source["needsDatabase"];
	        this.templates = source["templates"];
	        this.why = source["why"];
	        this.safeForm = source["safeForm"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class SampleStatus {
	    available: boolean;
	    reason: string;
	    initialized: boolean;
	    running: boolean;
	    port: number;
	    dataDir: string;
	    runAs: string;
	
	    static createFrom(source: any = {}) {
	        return new SampleStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.available = source["available"];
	        this.reason = source["reason"];
	        this.initialized = source["initialized"];
	        this.running = source["running"];
	        this.port = source["port"];
	        this.dataDir = source["dataDir"];
	        this.runAs = source["runAs"];
	    }
	}
	export class Saved {
	    rule: risk.Rule;
	    reevaluated: number[];
	
	    static createFrom(source: any = {}) {
	        return new Saved(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rule = this.convertValues(source["rule"], risk.Rule);
	        this.reevaluated = source["reevaluated"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SchemaChangeRequest {
	    projectId: string;
	    databaseIds: string[];
	    sql: string;
	    perDatabase: Record<string, string>;
	    title: string;
	    description: string;
	    version: string;
	    type: string;
	
	    static createFrom(source: any = {}) {
	        return new SchemaChangeRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.projectId = source["projectId"];
	        this.databaseIds = source["databaseIds"];
	        this.sql = source["sql"];
	        this.perDatabase = source["perDatabase"];
	        this.title = source["title"];
	        this.description = source["description"];
	        this.version = source["version"];
	        this.type = source["type"];
	    }
	}
	export class SchemaCounts {
	    schemas: number;
	    tables: number;
	    views: number;
	    materializedViews: number;
	    functions: number;
	    procedures: number;
	    types: number;
	    sequences: number;
	
	    static createFrom(source: any = {}) {
	        return new SchemaCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.schemas = source["schemas"];
	        this.tables = source["tables"];
	        this.views = source["views"];
	        this.materializedViews = source["materializedViews"];
	        this.functions = source["functions"];
	        this.procedures = source["procedures"];
	        this.types = source["types"];
	        this.sequences = source["sequences"];
	    }
	}
	export class SchemaDiagram {
	    databaseId: string;
	    snapshotId: string;
	    takenAt: string;
	    diagram: erd.Diagram;
	
	    static createFrom(source: any = {}) {
	        return new SchemaDiagram(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.databaseId = source["databaseId"];
	        this.snapshotId = source["snapshotId"];
	        this.takenAt = source["takenAt"];
	        this.diagram = this.convertValues(source["diagram"], erd.Diagram);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SchemaObject {
	    kind: string;
	    schema: string;
	    name: string;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new SchemaObject(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.schema = source["schema"];
	        this.name = source["name"];
	        this.detail = source["detail"];
	    }
	}
	export class SnapshotInfo {
	    id: string;
	    databaseId: string;
	    takenAt: string;
	    durationMs: number;
	    fingerprint: string;
	    serverVersion: string;
	    modelSize: number;
	    ddlSize: number;
	    unsupported: SchemaObject[];
	    skipped: SchemaObject[];
	
	    static createFrom(source: any = {}) {
	        return new SnapshotInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.databaseId = source["databaseId"];
	        this.takenAt = source["takenAt"];
	        this.durationMs = source["durationMs"];
	        this.fingerprint = source["fingerprint"];
	        this.serverVersion = source["serverVersion"];
	        this.modelSize = source["modelSize"];
	        this.ddlSize = source["ddlSize"];
	        this.unsupported = this.convertValues(source["unsupported"], SchemaObject);
	        this.skipped = this.convertValues(source["skipped"], SchemaObject);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SchemaSummary {
	    databaseId: string;
	    synced: boolean;
	    snapshot: SnapshotInfo;
	    counts: SchemaCounts;
	    lastAttemptAt: string;
	    lastError: string;
	    lastSqlstate: string;
	
	    static createFrom(source: any = {}) {
	        return new SchemaSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.databaseId = source["databaseId"];
	        this.synced = source["synced"];
	        this.snapshot = this.convertValues(source["snapshot"], SnapshotInfo);
	        this.counts = this.convertValues(source["counts"], SchemaCounts);
	        this.lastAttemptAt = source["lastAttemptAt"];
	        this.lastError = source["lastError"];
	        this.lastSqlstate = source["lastSqlstate"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TreeNode {
	    id: string;
	    label: string;
	    kind: string;
	    detail: string;
	    children: TreeNode[];
	
	    static createFrom(source: any = {}) {
	        return new TreeNode(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.label = source["label"];
	        this.kind = source["kind"];
	        this.detail = source["detail"];
	        this.children = this.convertValues(source["children"], TreeNode);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SchemaTree {
	    snapshotId: string;
	    nodes: TreeNode[];
	
	    static createFrom(source: any = {}) {
	        return new SchemaTree(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.snapshotId = source["snapshotId"];
	        this.nodes = this.convertValues(source["nodes"], TreeNode);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class SyncResult {
	    instanceId: string;
	    error?: string;
	    sqlstate?: string;
	    databases: DatabaseSynced[];
	
	    static createFrom(source: any = {}) {
	        return new SyncResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.instanceId = source["instanceId"];
	        this.error = source["error"];
	        this.sqlstate = source["sqlstate"];
	        this.databases = this.convertValues(source["databases"], DatabaseSynced);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class TargetPreview {
	    databaseId: string;
	    databaseName: string;
	    production: boolean;
	    sql: string;
	    statements: diff.Statement[];
	    renames: diff.Rename[];
	    warnings: string[];
	    problems: schemaedit.Problem[];
	    error: string;
	    errorOp: number;
	    errorDetail: string;
	    review: EditReview;
	
	    static createFrom(source: any = {}) {
	        return new TargetPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.databaseId = source["databaseId"];
	        this.databaseName = source["databaseName"];
	        this.production = source["production"];
	        this.sql = source["sql"];
	        this.statements = this.convertValues(source["statements"], diff.Statement);
	        this.renames = this.convertValues(source["renames"], diff.Rename);
	        this.warnings = source["warnings"];
	        this.problems = this.convertValues(source["problems"], schemaedit.Problem);
	        this.error = source["error"];
	        this.errorOp = source["errorOp"];
	        this.errorDetail = source["errorDetail"];
	        this.review = this.convertValues(source["review"], EditReview);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TargetsPreview {
	    online: boolean;
	    ok: boolean;
	    targets: TargetPreview[];
	
	    static createFrom(source: any = {}) {
	        return new TargetsPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.online = source["online"];
	        this.ok = source["ok"];
	        this.targets = this.convertValues(source["targets"], TargetPreview);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class TemplateInfo {
	    name: string;
	    title: string;
	    purpose: string;
	
	    static createFrom(source: any = {}) {
	        return new TemplateInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.title = source["title"];
	        this.purpose = source["purpose"];
	    }
	}
	
	export class WorkspaceUser {
	    name: string;
	    email: string;
	
	    static createFrom(source: any = {}) {
	        return new WorkspaceUser(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.email = source["email"];
	    }
	}

}

export namespace diff {
	
	export class Hazard {
	    type: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Hazard(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.message = source["message"];
	    }
	}
	export class Rename {
	    kind: string;
	    schema?: string;
	    table?: string;
	    type?: string;
	    from: string;
	    to: string;
	
	    static createFrom(source: any = {}) {
	        return new Rename(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.schema = source["schema"];
	        this.table = source["table"];
	        this.type = source["type"];
	        this.from = source["from"];
	        this.to = source["to"];
	    }
	}
	export class Statement {
	    sql: string;
	    hazards?: Hazard[];
	    transactional: boolean;
	    object: string;
	
	    static createFrom(source: any = {}) {
	        return new Statement(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sql = source["sql"];
	        this.hazards = this.convertValues(source["hazards"], Hazard);
	        this.transactional = source["transactional"];
	        this.object = source["object"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace erd {
	
	export class Column {
	    name: string;
	    type: string;
	    pk: boolean;
	    fk: boolean;
	    nullable: boolean;
	    mark: string;
	
	    static createFrom(source: any = {}) {
	        return new Column(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.type = source["type"];
	        this.pk = source["pk"];
	        this.fk = source["fk"];
	        this.nullable = source["nullable"];
	        this.mark = source["mark"];
	    }
	}
	export class Edge {
	    id: string;
	    name: string;
	    from: string;
	    to: string;
	    columns: string[];
	    refColumns: string[];
	    onDelete: string;
	    onUpdate: string;
	    mark: string;
	
	    static createFrom(source: any = {}) {
	        return new Edge(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.columns = source["columns"];
	        this.refColumns = source["refColumns"];
	        this.onDelete = source["onDelete"];
	        this.onUpdate = source["onUpdate"];
	        this.mark = source["mark"];
	    }
	}
	export class Table {
	    id: string;
	    schema: string;
	    name: string;
	    partitioned: boolean;
	    comment: string;
	    mark: string;
	    columns: Column[];
	
	    static createFrom(source: any = {}) {
	        return new Table(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.schema = source["schema"];
	        this.name = source["name"];
	        this.partitioned = source["partitioned"];
	        this.comment = source["comment"];
	        this.mark = source["mark"];
	        this.columns = this.convertValues(source["columns"], Column);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SchemaInfo {
	    name: string;
	    tables: number;
	
	    static createFrom(source: any = {}) {
	        return new SchemaInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.tables = source["tables"];
	    }
	}
	export class Diagram {
	    schemas: SchemaInfo[];
	    shown: string[];
	    tables: Table[];
	    edges: Edge[];
	    external: number;
	
	    static createFrom(source: any = {}) {
	        return new Diagram(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.schemas = this.convertValues(source["schemas"], SchemaInfo);
	        this.shown = source["shown"];
	        this.tables = this.convertValues(source["tables"], Table);
	        this.edges = this.convertValues(source["edges"], Edge);
	        this.external = source["external"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	

}

export namespace gitops {
	
	export class CommitIdentity {
	    name: string;
	    email: string;
	
	    static createFrom(source: any = {}) {
	        return new CommitIdentity(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.email = source["email"];
	    }
	}
	export class CommitInfo {
	    hash: string;
	    subject: string;
	    author: string;
	    email: string;
	    // Go type: time
	    when: any;
	    merge?: boolean;
	    skipped?: string;
	
	    static createFrom(source: any = {}) {
	        return new CommitInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.hash = source["hash"];
	        this.subject = source["subject"];
	        this.author = source["author"];
	        this.email = source["email"];
	        this.when = this.convertValues(source["when"], null);
	        this.merge = source["merge"];
	        this.skipped = source["skipped"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Environment {
	    id: string;
	    production?: boolean;
	    review?: string;
	
	    static createFrom(source: any = {}) {
	        return new Environment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.production = source["production"];
	        this.review = source["review"];
	    }
	}
	export class Folder {
	    dir: string;
	    format: string;
	    database: string;
	    environment?: string;
	
	    static createFrom(source: any = {}) {
	        return new Folder(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dir = source["dir"];
	        this.format = source["format"];
	        this.database = source["database"];
	        this.environment = source["environment"];
	    }
	}
	export class Config {
	    branch: string;
	    baseDir: string;
	    template: string;
	    latestTemplate: string;
	    folders: Folder[];
	    policy?: string;
	    environments?: Environment[];
	    allowOutOfOrder?: boolean;
	    writeback?: CommitIdentity;
	
	    static createFrom(source: any = {}) {
	        return new Config(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.branch = source["branch"];
	        this.baseDir = source["baseDir"];
	        this.template = source["template"];
	        this.latestTemplate = source["latestTemplate"];
	        this.folders = this.convertValues(source["folders"], Folder);
	        this.policy = source["policy"];
	        this.environments = this.convertValues(source["environments"], Environment);
	        this.allowOutOfOrder = source["allowOutOfOrder"];
	        this.writeback = this.convertValues(source["writeback"], CommitIdentity);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConfigResult {
	    path: string;
	    commit: string;
	    unchanged: boolean;
	    content: string;
	
	    static createFrom(source: any = {}) {
	        return new ConfigResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.commit = source["commit"];
	        this.unchanged = source["unchanged"];
	        this.content = source["content"];
	    }
	}
	
	export class Unmatched {
	    path: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new Unmatched(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.reason = source["reason"];
	    }
	}
	export class FileAnomaly {
	    kind: string;
	    path: string;
	    databaseId: string;
	    version: string;
	    issue: number;
	    commit: string;
	
	    static createFrom(source: any = {}) {
	        return new FileAnomaly(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.path = source["path"];
	        this.databaseId = source["databaseId"];
	        this.version = source["version"];
	        this.issue = source["issue"];
	        this.commit = source["commit"];
	    }
	}
	export class IssueEvent {
	    number: number;
	    title: string;
	    action: string;
	    database: string;
	    files: string[];
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new IssueEvent(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.number = source["number"];
	        this.title = source["title"];
	        this.action = source["action"];
	        this.database = source["database"];
	        this.files = source["files"];
	        this.error = source["error"];
	    }
	}
	export class ForcePush {
	    previous: string;
	    head: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new ForcePush(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.previous = source["previous"];
	        this.head = source["head"];
	        this.message = source["message"];
	    }
	}
	export class FetchResult {
	    project: string;
	    branch: string;
	    from: string;
	    to: string;
	    started: boolean;
	    forcePush?: ForcePush;
	    commits: CommitInfo[];
	    issues: IssueEvent[];
	    anomalies: FileAnomaly[];
	    unmatched: Unmatched[];
	    notes: string[];
	
	    static createFrom(source: any = {}) {
	        return new FetchResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.project = source["project"];
	        this.branch = source["branch"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.started = source["started"];
	        this.forcePush = this.convertValues(source["forcePush"], ForcePush);
	        this.commits = this.convertValues(source["commits"], CommitInfo);
	        this.issues = this.convertValues(source["issues"], IssueEvent);
	        this.anomalies = this.convertValues(source["anomalies"], FileAnomaly);
	        this.unmatched = this.convertValues(source["unmatched"], Unmatched);
	        this.notes = source["notes"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class File {
	    path: string;
	    environment: string;
	    database: string;
	    version: string;
	    type: string;
	    description: string;
	
	    static createFrom(source: any = {}) {
	        return new File(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.environment = source["environment"];
	        this.database = source["database"];
	        this.version = source["version"];
	        this.type = source["type"];
	        this.description = source["description"];
	    }
	}
	
	
	
	
	export class LatestResult {
	    path: string;
	    commit: string;
	    unchanged: boolean;
	    attempts: number;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new LatestResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.commit = source["commit"];
	        this.unchanged = source["unchanged"];
	        this.attempts = source["attempts"];
	        this.message = source["message"];
	    }
	}
	export class PreviewEntry {
	    path: string;
	    file?: File;
	    reason?: string;
	
	    static createFrom(source: any = {}) {
	        return new PreviewEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.file = this.convertValues(source["file"], File);
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Preview {
	    branch: string;
	    head: string;
	    subject: string;
	    configSource: string;
	    config?: Config;
	    latestPaths: string[];
	    files: PreviewEntry[];
	
	    static createFrom(source: any = {}) {
	        return new Preview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.branch = source["branch"];
	        this.head = source["head"];
	        this.subject = source["subject"];
	        this.configSource = source["configSource"];
	        this.config = this.convertValues(source["config"], Config);
	        this.latestPaths = source["latestPaths"];
	        this.files = this.convertValues(source["files"], PreviewEntry);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	

}

export namespace query {
	
	export class Cell {
	    text: string;
	    null?: boolean;
	    truncated?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Cell(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.null = source["null"];
	        this.truncated = source["truncated"];
	    }
	}
	export class Column {
	    name: string;
	    type: string;
	    oid: number;
	
	    static createFrom(source: any = {}) {
	        return new Column(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.type = source["type"];
	        this.oid = source["oid"];
	    }
	}
	export class CompletionFunction {
	    name: string;
	    args: string;
	    returns: string;
	
	    static createFrom(source: any = {}) {
	        return new CompletionFunction(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.args = source["args"];
	        this.returns = source["returns"];
	    }
	}
	export class CompletionColumn {
	    name: string;
	    type: string;
	
	    static createFrom(source: any = {}) {
	        return new CompletionColumn(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.type = source["type"];
	    }
	}
	export class CompletionTable {
	    name: string;
	    kind: string;
	    columns: CompletionColumn[];
	
	    static createFrom(source: any = {}) {
	        return new CompletionTable(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.columns = this.convertValues(source["columns"], CompletionColumn);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CompletionSchema {
	    name: string;
	    tables: CompletionTable[];
	    functions: CompletionFunction[];
	
	    static createFrom(source: any = {}) {
	        return new CompletionSchema(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.tables = this.convertValues(source["tables"], CompletionTable);
	        this.functions = this.convertValues(source["functions"], CompletionFunction);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CompletionCatalog {
	    schemas: CompletionSchema[];
	
	    static createFrom(source: any = {}) {
	        return new CompletionCatalog(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.schemas = this.convertValues(source["schemas"], CompletionSchema);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	
	export class PlanNode {
	    nodeType: string;
	    relation?: string;
	    startupCost: number;
	    totalCost: number;
	    planRows: number;
	    actualTotalTime?: number;
	    actualRows?: number;
	    loops?: number;
	    slowest?: boolean;
	    detail?: string;
	    children?: PlanNode[];
	
	    static createFrom(source: any = {}) {
	        return new PlanNode(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.nodeType = source["nodeType"];
	        this.relation = source["relation"];
	        this.startupCost = source["startupCost"];
	        this.totalCost = source["totalCost"];
	        this.planRows = source["planRows"];
	        this.actualTotalTime = source["actualTotalTime"];
	        this.actualRows = source["actualRows"];
	        this.loops = source["loops"];
	        this.slowest = source["slowest"];
	        this.detail = source["detail"];
	        this.children = this.convertValues(source["children"], PlanNode);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace risk {
	
	export class ApprovalRule {
	    id: string;
	    source?: string;
	    level?: string;
	    condition?: string;
	    template: string;
	
	    static createFrom(source: any = {}) {
	        return new ApprovalRule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.source = source["source"];
	        this.level = source["level"];
	        this.condition = source["condition"];
	        this.template = source["template"];
	    }
	}
	export class ApprovalMention {
	    rule: ApprovalRule;
	    templateTitle: string;
	    how: string[];
	
	    static createFrom(source: any = {}) {
	        return new ApprovalMention(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rule = this.convertValues(source["rule"], ApprovalRule);
	        this.templateTitle = source["templateTitle"];
	        this.how = source["how"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class EvalError {
	    ruleId: string;
	    title: string;
	    line?: number;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new EvalError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ruleId = source["ruleId"];
	        this.title = source["title"];
	        this.line = source["line"];
	        this.message = source["message"];
	    }
	}
	export class Match {
	    ruleId: string;
	    title: string;
	    level: string;
	    condition: string;
	    line?: number;
	    table?: string;
	
	    static createFrom(source: any = {}) {
	        return new Match(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ruleId = source["ruleId"];
	        this.title = source["title"];
	        this.level = source["level"];
	        this.condition = source["condition"];
	        this.line = source["line"];
	        this.table = source["table"];
	    }
	}
	export class Assessment {
	    level: string;
	    matched: Match[];
	    errors: EvalError[];
	
	    static createFrom(source: any = {}) {
	        return new Assessment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.level = source["level"];
	        this.matched = this.convertValues(source["matched"], Match);
	        this.errors = this.convertValues(source["errors"], EvalError);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Rule {
	    id: string;
	    title: string;
	    source: string;
	    level: string;
	    condition: string;
	    enabled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Rule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.source = source["source"];
	        this.level = source["level"];
	        this.condition = source["condition"];
	        this.enabled = source["enabled"];
	    }
	}
	export class RuleMention {
	    rule: Rule;
	    how: string[];
	
	    static createFrom(source: any = {}) {
	        return new RuleMention(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rule = this.convertValues(source["rule"], Rule);
	        this.how = source["how"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Step {
	    role: string;
	    title?: string;
	
	    static createFrom(source: any = {}) {
	        return new Step(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.role = source["role"];
	        this.title = source["title"];
	    }
	}
	export class Template {
	    id: string;
	    title: string;
	    description: string;
	    steps: Step[];
	
	    static createFrom(source: any = {}) {
	        return new Template(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.description = source["description"];
	        this.steps = this.convertValues(source["steps"], Step);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace schemaedit {
	
	export class ColumnChange {
	    type?: string;
	    default?: string;
	    drop_default?: boolean;
	    not_null?: boolean;
	    identity?: string;
	    comment?: string;
	    drop_comment?: boolean;
	    collation?: string;
	    generated?: string;
	
	    static createFrom(source: any = {}) {
	        return new ColumnChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.default = source["default"];
	        this.drop_default = source["drop_default"];
	        this.not_null = source["not_null"];
	        this.identity = source["identity"];
	        this.comment = source["comment"];
	        this.drop_comment = source["drop_comment"];
	        this.collation = source["collation"];
	        this.generated = source["generated"];
	    }
	}
	export class ColumnSpec {
	    name: string;
	    type: string;
	    default?: string;
	    not_null?: boolean;
	    identity?: string;
	    comment?: string;
	    generated?: string;
	    collation?: string;
	
	    static createFrom(source: any = {}) {
	        return new ColumnSpec(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.type = source["type"];
	        this.default = source["default"];
	        this.not_null = source["not_null"];
	        this.identity = source["identity"];
	        this.comment = source["comment"];
	        this.generated = source["generated"];
	        this.collation = source["collation"];
	    }
	}
	export class ColumnView {
	    name: string;
	    key: string;
	    mark: string;
	    type: string;
	    default?: string;
	    notNull: boolean;
	    identity: string;
	    generated: string;
	    comment?: string;
	    primaryKey: boolean;
	    foreignKey: boolean;
	    collation: string;
	
	    static createFrom(source: any = {}) {
	        return new ColumnView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.key = source["key"];
	        this.mark = source["mark"];
	        this.type = source["type"];
	        this.default = source["default"];
	        this.notNull = source["notNull"];
	        this.identity = source["identity"];
	        this.generated = source["generated"];
	        this.comment = source["comment"];
	        this.primaryKey = source["primaryKey"];
	        this.foreignKey = source["foreignKey"];
	        this.collation = source["collation"];
	    }
	}
	export class ConstraintSpec {
	    name: string;
	    type: string;
	    columns?: string[];
	    check?: string;
	    ref_schema?: string;
	    ref_table?: string;
	    ref_columns?: string[];
	    on_delete?: string;
	    on_update?: string;
	    deferrable?: boolean;
	    initially_deferred?: boolean;
	    not_valid_first?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ConstraintSpec(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.type = source["type"];
	        this.columns = source["columns"];
	        this.check = source["check"];
	        this.ref_schema = source["ref_schema"];
	        this.ref_table = source["ref_table"];
	        this.ref_columns = source["ref_columns"];
	        this.on_delete = source["on_delete"];
	        this.on_update = source["on_update"];
	        this.deferrable = source["deferrable"];
	        this.initially_deferred = source["initially_deferred"];
	        this.not_valid_first = source["not_valid_first"];
	    }
	}
	export class ConstraintView {
	    name: string;
	    key: string;
	    mark: string;
	    type: string;
	    definition: string;
	    columns: string[];
	    refTable: string;
	    refColumns: string[];
	    comment?: string;
	
	    static createFrom(source: any = {}) {
	        return new ConstraintView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.key = source["key"];
	        this.mark = source["mark"];
	        this.type = source["type"];
	        this.definition = source["definition"];
	        this.columns = source["columns"];
	        this.refTable = source["refTable"];
	        this.refColumns = source["refColumns"];
	        this.comment = source["comment"];
	    }
	}
	export class FunctionView {
	    name: string;
	    args: string;
	    kind: string;
	    result: string;
	    key: string;
	    mark: string;
	    comment?: string;
	
	    static createFrom(source: any = {}) {
	        return new FunctionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.args = source["args"];
	        this.kind = source["kind"];
	        this.result = source["result"];
	        this.key = source["key"];
	        this.mark = source["mark"];
	        this.comment = source["comment"];
	    }
	}
	export class IndexKeySpec {
	    column?: string;
	    expression?: string;
	    order?: string;
	    nulls?: string;
	    opclass?: string;
	
	    static createFrom(source: any = {}) {
	        return new IndexKeySpec(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.column = source["column"];
	        this.expression = source["expression"];
	        this.order = source["order"];
	        this.nulls = source["nulls"];
	        this.opclass = source["opclass"];
	    }
	}
	export class IndexSpec {
	    name: string;
	    columns?: string[];
	    keys?: IndexKeySpec[];
	    unique?: boolean;
	    method?: string;
	    where?: string;
	    include?: string[];
	    concurrently?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new IndexSpec(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.columns = source["columns"];
	        this.keys = this.convertValues(source["keys"], IndexKeySpec);
	        this.unique = source["unique"];
	        this.method = source["method"];
	        this.where = source["where"];
	        this.include = source["include"];
	        this.concurrently = source["concurrently"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class IndexView {
	    name: string;
	    key: string;
	    mark: string;
	    definition: string;
	    columns: string[];
	    unique: boolean;
	    method: string;
	    constraint: string;
	    comment?: string;
	
	    static createFrom(source: any = {}) {
	        return new IndexView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.key = source["key"];
	        this.mark = source["mark"];
	        this.definition = source["definition"];
	        this.columns = source["columns"];
	        this.unique = source["unique"];
	        this.method = source["method"];
	        this.constraint = source["constraint"];
	        this.comment = source["comment"];
	    }
	}
	export class SequenceSpec {
	    data_type?: string;
	    start?: number;
	    increment?: number;
	    min?: number;
	    max?: number;
	    cache?: number;
	    cycle?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SequenceSpec(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.data_type = source["data_type"];
	        this.start = source["start"];
	        this.increment = source["increment"];
	        this.min = source["min"];
	        this.max = source["max"];
	        this.cache = source["cache"];
	        this.cycle = source["cycle"];
	    }
	}
	export class ViewSpec {
	    definition: string;
	    materialized?: boolean;
	    check_option?: string;
	    security_barrier?: boolean;
	    security_invoker?: boolean;
	    with_no_data?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ViewSpec(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.definition = source["definition"];
	        this.materialized = source["materialized"];
	        this.check_option = source["check_option"];
	        this.security_barrier = source["security_barrier"];
	        this.security_invoker = source["security_invoker"];
	        this.with_no_data = source["with_no_data"];
	    }
	}
	export class PartitionSpec {
	    method: string;
	    columns: string[];
	
	    static createFrom(source: any = {}) {
	        return new PartitionSpec(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.method = source["method"];
	        this.columns = source["columns"];
	    }
	}
	export class Op {
	    op: string;
	    schema?: string;
	    table?: string;
	    name?: string;
	    to?: string;
	    type?: string;
	    after?: string;
	    columns?: ColumnSpec[];
	    primary_key?: string[];
	    partition_by?: PartitionSpec;
	    unlogged?: boolean;
	    comment?: string;
	    column?: ColumnSpec;
	    set?: ColumnChange;
	    index?: IndexSpec;
	    constraint?: ConstraintSpec;
	    view?: ViewSpec;
	    sequence?: SequenceSpec;
	    kind?: string;
	    args?: string;
	
	    static createFrom(source: any = {}) {
	        return new Op(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.op = source["op"];
	        this.schema = source["schema"];
	        this.table = source["table"];
	        this.name = source["name"];
	        this.to = source["to"];
	        this.type = source["type"];
	        this.after = source["after"];
	        this.columns = this.convertValues(source["columns"], ColumnSpec);
	        this.primary_key = source["primary_key"];
	        this.partition_by = this.convertValues(source["partition_by"], PartitionSpec);
	        this.unlogged = source["unlogged"];
	        this.comment = source["comment"];
	        this.column = this.convertValues(source["column"], ColumnSpec);
	        this.set = this.convertValues(source["set"], ColumnChange);
	        this.index = this.convertValues(source["index"], IndexSpec);
	        this.constraint = this.convertValues(source["constraint"], ConstraintSpec);
	        this.view = this.convertValues(source["view"], ViewSpec);
	        this.sequence = this.convertValues(source["sequence"], SequenceSpec);
	        this.kind = source["kind"];
	        this.args = source["args"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Problem {
	    op: number;
	    object: string;
	    field: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Problem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.op = source["op"];
	        this.object = source["object"];
	        this.field = source["field"];
	        this.message = source["message"];
	    }
	}
	export class TypeView {
	    name: string;
	    key: string;
	    mark: string;
	    kind: string;
	    labels: string[];
	    comment?: string;
	
	    static createFrom(source: any = {}) {
	        return new TypeView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.key = source["key"];
	        this.mark = source["mark"];
	        this.kind = source["kind"];
	        this.labels = source["labels"];
	        this.comment = source["comment"];
	    }
	}
	export class SequenceView {
	    schema: string;
	    name: string;
	    key: string;
	    mark: string;
	    dataType: string;
	    start: string;
	    increment: string;
	    min: string;
	    max: string;
	    cache: string;
	    cycle: boolean;
	    comment?: string;
	    ownedBy: string;
	
	    static createFrom(source: any = {}) {
	        return new SequenceView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.schema = source["schema"];
	        this.name = source["name"];
	        this.key = source["key"];
	        this.mark = source["mark"];
	        this.dataType = source["dataType"];
	        this.start = source["start"];
	        this.increment = source["increment"];
	        this.min = source["min"];
	        this.max = source["max"];
	        this.cache = source["cache"];
	        this.cycle = source["cycle"];
	        this.comment = source["comment"];
	        this.ownedBy = source["ownedBy"];
	    }
	}
	export class ViewView {
	    schema: string;
	    name: string;
	    key: string;
	    mark: string;
	    materialized: boolean;
	    definition: string;
	    comment?: string;
	    columns: string[];
	    checkOption: string;
	    securityBarrier: boolean;
	    securityInvoker: boolean;
	    withNoData: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ViewView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.schema = source["schema"];
	        this.name = source["name"];
	        this.key = source["key"];
	        this.mark = source["mark"];
	        this.materialized = source["materialized"];
	        this.definition = source["definition"];
	        this.comment = source["comment"];
	        this.columns = source["columns"];
	        this.checkOption = source["checkOption"];
	        this.securityBarrier = source["securityBarrier"];
	        this.securityInvoker = source["securityInvoker"];
	        this.withNoData = source["withNoData"];
	    }
	}
	export class TableView {
	    schema: string;
	    name: string;
	    key: string;
	    mark: string;
	    comment?: string;
	    partitioned: boolean;
	    columns: ColumnView[];
	    indexes: IndexView[];
	    constraints: ConstraintView[];
	    droppedColumns: string[];
	    partitionKey: string;
	    unlogged: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TableView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.schema = source["schema"];
	        this.name = source["name"];
	        this.key = source["key"];
	        this.mark = source["mark"];
	        this.comment = source["comment"];
	        this.partitioned = source["partitioned"];
	        this.columns = this.convertValues(source["columns"], ColumnView);
	        this.indexes = this.convertValues(source["indexes"], IndexView);
	        this.constraints = this.convertValues(source["constraints"], ConstraintView);
	        this.droppedColumns = source["droppedColumns"];
	        this.partitionKey = source["partitionKey"];
	        this.unlogged = source["unlogged"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SchemaView {
	    name: string;
	    key: string;
	    mark: string;
	    tables: TableView[];
	    dropped: string[];
	    comment?: string;
	    views: ViewView[];
	    sequences: SequenceView[];
	    types: TypeView[];
	    droppedViews: string[];
	    droppedSequences: string[];
	    functions: FunctionView[];
	
	    static createFrom(source: any = {}) {
	        return new SchemaView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.key = source["key"];
	        this.mark = source["mark"];
	        this.tables = this.convertValues(source["tables"], TableView);
	        this.dropped = source["dropped"];
	        this.comment = source["comment"];
	        this.views = this.convertValues(source["views"], ViewView);
	        this.sequences = this.convertValues(source["sequences"], SequenceView);
	        this.types = this.convertValues(source["types"], TypeView);
	        this.droppedViews = source["droppedViews"];
	        this.droppedSequences = source["droppedSequences"];
	        this.functions = this.convertValues(source["functions"], FunctionView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	
	export class View {
	    schemas: SchemaView[];
	    types: string[];
	    suggestions: string[];
	    canUndo: boolean;
	    canRedo: boolean;
	    ops: number;
	
	    static createFrom(source: any = {}) {
	        return new View(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.schemas = this.convertValues(source["schemas"], SchemaView);
	        this.types = source["types"];
	        this.suggestions = source["suggestions"];
	        this.canUndo = source["canUndo"];
	        this.canRedo = source["canRedo"];
	        this.ops = source["ops"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	

}

export namespace schematree {
	
	export class Change {
	    action: string;
	    kind: string;
	    schema: string;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new Change(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.action = source["action"];
	        this.kind = source["kind"];
	        this.schema = source["schema"];
	        this.name = source["name"];
	    }
	}

}

export namespace workflow {
	
	export class User {
	    name: string;
	    email?: string;
	
	    static createFrom(source: any = {}) {
	        return new User(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.email = source["email"];
	    }
	}
	export class Ack {
	    by: User;
	    // Go type: time
	    at: any;
	    comment: string;
	
	    static createFrom(source: any = {}) {
	        return new Ack(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.by = this.convertValues(source["by"], User);
	        this.at = this.convertValues(source["at"], null);
	        this.comment = source["comment"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Activity {
	    // Go type: time
	    at: any;
	    actor: User;
	    kind: string;
	    role?: string;
	    taskId?: string;
	    comment?: string;
	
	    static createFrom(source: any = {}) {
	        return new Activity(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = this.convertValues(source["at"], null);
	        this.actor = this.convertValues(source["actor"], User);
	        this.kind = source["kind"];
	        this.role = source["role"];
	        this.taskId = source["taskId"];
	        this.comment = source["comment"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AffectedRows {
	    line: number;
	    statement: string;
	    table?: string;
	    rows: number;
	    source: string;
	
	    static createFrom(source: any = {}) {
	        return new AffectedRows(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line = source["line"];
	        this.statement = source["statement"];
	        this.table = source["table"];
	        this.rows = source["rows"];
	        this.source = source["source"];
	    }
	}
	export class ApprovalStep {
	    title: string;
	    role?: string;
	    approvers?: string[];
	    approverNames?: string[];
	    status: string;
	    byRole?: string;
	    by?: User;
	    // Go type: time
	    at?: any;
	    comment?: string;
	
	    static createFrom(source: any = {}) {
	        return new ApprovalStep(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.role = source["role"];
	        this.approvers = source["approvers"];
	        this.approverNames = source["approverNames"];
	        this.status = source["status"];
	        this.byRole = source["byRole"];
	        this.by = this.convertValues(source["by"], User);
	        this.at = this.convertValues(source["at"], null);
	        this.comment = source["comment"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Approval {
	    status: string;
	    reason: string;
	    steps: ApprovalStep[];
	    risk?: string;
	    matched?: risk.Match[];
	    errors?: risk.EvalError[];
	    rule?: string;
	    template?: string;
	    templateTitle?: string;
	
	    static createFrom(source: any = {}) {
	        return new Approval(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.reason = source["reason"];
	        this.steps = this.convertValues(source["steps"], ApprovalStep);
	        this.risk = source["risk"];
	        this.matched = this.convertValues(source["matched"], risk.Match);
	        this.errors = this.convertValues(source["errors"], risk.EvalError);
	        this.rule = source["rule"];
	        this.template = source["template"];
	        this.templateTitle = source["templateTitle"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ChangeRef {
	    databaseId: string;
	    changeId: string;
	    issue?: number;
	
	    static createFrom(source: any = {}) {
	        return new ChangeRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.databaseId = source["databaseId"];
	        this.changeId = source["changeId"];
	        this.issue = source["issue"];
	    }
	}
	export class Result {
	    status: string;
	    title: string;
	    message?: string;
	    code?: string;
	    line?: number;
	    column?: number;
	    endLine?: number;
	    sqlstate?: string;
	    statement?: string;
	
	    static createFrom(source: any = {}) {
	        return new Result(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.title = source["title"];
	        this.message = source["message"];
	        this.code = source["code"];
	        this.line = source["line"];
	        this.column = source["column"];
	        this.endLine = source["endLine"];
	        this.sqlstate = source["sqlstate"];
	        this.statement = source["statement"];
	    }
	}
	export class CheckRow {
	    database: string;
	    taskId: string;
	    kind: string;
	    status: string;
	    summary: string;
	    results: Result[];
	    objects?: schematree.Change[];
	    rows?: AffectedRows[];
	    basis?: string;
	
	    static createFrom(source: any = {}) {
	        return new CheckRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.database = source["database"];
	        this.taskId = source["taskId"];
	        this.kind = source["kind"];
	        this.status = source["status"];
	        this.summary = source["summary"];
	        this.results = this.convertValues(source["results"], Result);
	        this.objects = this.convertValues(source["objects"], schematree.Change);
	        this.rows = this.convertValues(source["rows"], AffectedRows);
	        this.basis = source["basis"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Failure {
	    message: string;
	    sqlstate?: string;
	    detail?: string;
	    hint?: string;
	
	    static createFrom(source: any = {}) {
	        return new Failure(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.message = source["message"];
	        this.sqlstate = source["sqlstate"];
	        this.detail = source["detail"];
	        this.hint = source["hint"];
	    }
	}
	export class Gate {
	    name: string;
	    open: boolean;
	    reason?: string;
	
	    static createFrom(source: any = {}) {
	        return new Gate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.open = source["open"];
	        this.reason = source["reason"];
	    }
	}
	export class LogLine {
	    // Go type: time
	    at: any;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new LogLine(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = this.convertValues(source["at"], null);
	        this.message = source["message"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class StatementRun {
	    n: number;
	    line: number;
	    durationMs: number;
	
	    static createFrom(source: any = {}) {
	        return new StatementRun(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.n = source["n"];
	        this.line = source["line"];
	        this.durationMs = source["durationMs"];
	    }
	}
	export class Run {
	    id: string;
	    taskId: string;
	    attempt: number;
	    status: string;
	    // Go type: time
	    startedAt: any;
	    // Go type: time
	    finishedAt?: any;
	    log: LogLine[];
	    statements: StatementRun[];
	    error?: Failure;
	
	    static createFrom(source: any = {}) {
	        return new Run(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.taskId = source["taskId"];
	        this.attempt = source["attempt"];
	        this.status = source["status"];
	        this.startedAt = this.convertValues(source["startedAt"], null);
	        this.finishedAt = this.convertValues(source["finishedAt"], null);
	        this.log = this.convertValues(source["log"], LogLine);
	        this.statements = this.convertValues(source["statements"], StatementRun);
	        this.error = this.convertValues(source["error"], Failure);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TaskRow {
	    id: string;
	    database: string;
	    databaseId: string;
	    instance: string;
	    status: string;
	    reason?: string;
	    statement: string;
	    version: string;
	    changeId?: string;
	    forced?: Ack;
	    error?: Failure;
	    gates: Gate[];
	    runs: Run[];
	
	    static createFrom(source: any = {}) {
	        return new TaskRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.database = source["database"];
	        this.databaseId = source["databaseId"];
	        this.instance = source["instance"];
	        this.status = source["status"];
	        this.reason = source["reason"];
	        this.statement = source["statement"];
	        this.version = source["version"];
	        this.changeId = source["changeId"];
	        this.forced = this.convertValues(source["forced"], Ack);
	        this.error = this.convertValues(source["error"], Failure);
	        this.gates = this.convertValues(source["gates"], Gate);
	        this.runs = this.convertValues(source["runs"], Run);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class StageRow {
	    environment: string;
	    environmentName: string;
	    production: boolean;
	    policy: string;
	    tasks: TaskRow[];
	
	    static createFrom(source: any = {}) {
	        return new StageRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.environment = source["environment"];
	        this.environmentName = source["environmentName"];
	        this.production = source["production"];
	        this.policy = source["policy"];
	        this.tasks = this.convertValues(source["tasks"], TaskRow);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Report {
	    number: number;
	    title: string;
	    description: string;
	    type: string;
	    status: string;
	    projectId: string;
	    creator: User;
	    labels: string[];
	    createdAt: string;
	    updatedAt: string;
	    version: number;
	    approval: Approval;
	    checks: CheckRow[];
	    stages: StageRow[];
	    activity: Activity[];
	    rollbackOf?: ChangeRef;
	    rollout: string;
	
	    static createFrom(source: any = {}) {
	        return new Report(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.number = source["number"];
	        this.title = source["title"];
	        this.description = source["description"];
	        this.type = source["type"];
	        this.status = source["status"];
	        this.projectId = source["projectId"];
	        this.creator = this.convertValues(source["creator"], User);
	        this.labels = source["labels"];
	        this.createdAt = source["createdAt"];
	        this.updatedAt = source["updatedAt"];
	        this.version = source["version"];
	        this.approval = this.convertValues(source["approval"], Approval);
	        this.checks = this.convertValues(source["checks"], CheckRow);
	        this.stages = this.convertValues(source["stages"], StageRow);
	        this.activity = this.convertValues(source["activity"], Activity);
	        this.rollbackOf = this.convertValues(source["rollbackOf"], ChangeRef);
	        this.rollout = source["rollout"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	
	

}

export namespace workspace {
	
	export class MemberRole {
	    role: string;
	    projectId?: string;
	
	    static createFrom(source: any = {}) {
	        return new MemberRole(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.role = source["role"];
	        this.projectId = source["projectId"];
	    }
	}
	export class Member {
	    id: string;
	    name: string;
	    email?: string;
	    roles: MemberRole[];
	    // Go type: time
	    createdAt: any;
	    sole: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Member(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.roles = this.convertValues(source["roles"], MemberRole);
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.sole = source["sole"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Window {
	    days: string[];
	    start: string;
	    end: string;
	    timezone?: string;
	
	    static createFrom(source: any = {}) {
	        return new Window(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.days = source["days"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.timezone = source["timezone"];
	    }
	}
	export class RolloutPolicy {
	    environmentId: string;
	    mode: string;
	    roles: string[];
	    window?: Window;
	
	    static createFrom(source: any = {}) {
	        return new RolloutPolicy(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.environmentId = source["environmentId"];
	        this.mode = source["mode"];
	        this.roles = source["roles"];
	        this.window = this.convertValues(source["window"], Window);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

