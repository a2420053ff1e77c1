// Builders for the unit tests of stores and components.
import type { Database, Environment, Instance, Project } from '../api'

export function env(id: string, name: string, position: number): Environment {
  return { id, name, position, protected: false }
}

export function instance(id: string, name: string, extra: Partial<Instance> = {}): Instance {
  return {
    id,
    name,
    environmentId: 'test',
    host: 'localhost',
    port: 5432,
    user: 'postgres',
    database: 'postgres',
    sslmode: 'prefer',
    passwordMode: 'none',
    hasPassword: false,
    isSample: false,
    lastSyncAt: '',
    lastError: '',
    ...extra,
  }
}

export function database(id: string, name: string, instanceId: string, extra: Partial<Database> = {}): Database {
  return {
    id,
    instanceId,
    instanceName: instanceId,
    environmentId: 'test',
    name,
    owner: 'postgres',
    encoding: 'UTF8',
    sizeBytes: 8_000_000,
    projectId: '',
    syncedAt: '2026-01-01T00:00:00Z',
    ...extra,
  }
}

export function project(id: string, name: string, extra: Partial<Project> = {}): Project {
  return { id, name, archived: false, databaseCount: 0, createdAt: '2026-01-01T00:00:00Z', ...extra }
}
