export namespace app {
	
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

}

