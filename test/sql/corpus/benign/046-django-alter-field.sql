--
-- Add field note to shipment
--
ALTER TABLE "shipping_shipment" ADD COLUMN "note" text DEFAULT '' NOT NULL;
ALTER TABLE "shipping_shipment" ALTER COLUMN "note" DROP DEFAULT;
--
-- Alter field carrier on shipment
--
ALTER TABLE "shipping_shipment" ALTER COLUMN "carrier" TYPE varchar(100);
