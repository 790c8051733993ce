-- AlterTable
ALTER TABLE "executions" ADD COLUMN     "dedupe_key" TEXT;
